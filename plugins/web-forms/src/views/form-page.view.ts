import type { ErrorDetail } from '@optline/core';
import type { ResolvedForm } from '../forms/form-directory.service';
import { esc, escWithLinks, layout } from './html';

const TYPE_LABELS: Record<string, string> = { marketing: 'offers and news', transactional: 'order and account updates', conversational: 'replies from our team' };

export interface FormPageInput {
  resolved: ResolvedForm;
  nonce: string;
  embed: boolean;
  /** What the person typed, to keep after an error. */
  values?: { phone?: string; consent?: boolean; fields?: Record<string, unknown> };
  errors?: ErrorDetail[];
  pageUrl: string | null;
  submissionId: string;
}

/** The input a problem belongs to: `fields.email` → `email`. */
function inputOf(field: string | undefined): string {
  return (field ?? '').replace(/^fields\./, '');
}

function fieldBlock(id: string, name: string, label: string, type: string, value: string, required: boolean, error: string | undefined, extra = ''): string {
  const describedBy = error ? ` aria-describedby="${id}-error"` : '';
  return `<div class="field">
<label for="${id}">${esc(label)}${required ? '' : ' <span class="hint">(optional)</span>'}</label>
<input id="${id}" name="${esc(name)}" type="${type}" value="${esc(value)}"${required ? ' required' : ''}${error ? ' aria-invalid="true"' : ''}${describedBy}${extra}>
${error ? `<p class="error" id="${id}-error">${esc(error)}</p>` : ''}
</div>`;
}

/** The hosted opt-in form: fields, an unticked consent checkbox next to the full disclosure, a honeypot. */
export function renderFormPage(input: FormPageInput): string {
  const { form, disclosure, workspace, formId } = input.resolved;
  const errors = new Map((input.errors ?? []).map((e) => [inputOf(e.field), e.message]));
  const values = input.values ?? {};
  const summary =
    input.errors && input.errors.length > 0
      ? `<div class="summary" role="alert" tabindex="-1" id="error-summary"><h2>Please check the form</h2><ul>${input.errors
          .map((e) => `<li><a href="#${esc(inputOf(e.field) || 'phone')}">${esc(e.message)}</a></li>`)
          .join('')}</ul></div>`
      : '';
  const fields = form.fields
    .map((f) =>
      fieldBlock(
        f.name,
        f.name,
        f.label,
        f.type === 'email' || f.name === 'email' ? 'email' : f.type === 'date' ? 'date' : 'text',
        String(values.fields?.[f.name] ?? ''),
        f.required === true,
        errors.get(f.name),
        f.name === 'firstName' ? ' autocomplete="given-name"' : f.name === 'lastName' ? ' autocomplete="family-name"' : f.name === 'email' ? ' autocomplete="email"' : '',
      ),
    )
    .join('\n');
  const kinds = form.consentTypes.map((t) => TYPE_LABELS[t] ?? t).join(', ');
  const body = `<h1>${esc(form.title)}</h1>
${form.intro ? `<p>${esc(form.intro)}</p>` : ''}
${summary}
<form method="post" action="/f/${esc(formId)}" novalidate>
${fieldBlock('phone', 'phone', form.phoneLabel ?? 'Mobile phone', 'tel', values.phone ?? '', true, errors.get('phone'), ' autocomplete="tel" inputmode="tel"')}
${fields}
<fieldset>
<legend>Text messages from ${esc(workspace.brandName)}</legend>
<div class="check">
<input type="checkbox" id="consent" name="consent" value="yes" aria-describedby="disclosure"${values.consent ? ' checked' : ''}>
<label for="consent">Yes, text me ${esc(kinds)} from ${esc(workspace.brandName)}.</label>
</div>
<p class="disclosure" id="disclosure">${escWithLinks(disclosure.text)}</p>
</fieldset>
<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
<input type="hidden" name="submissionId" value="${esc(input.submissionId)}">
<input type="hidden" name="disclosureId" value="${esc(disclosure.id)}">
${input.pageUrl ? `<input type="hidden" name="pageUrl" value="${esc(input.pageUrl)}">` : ''}
${input.embed ? '<input type="hidden" name="embed" value="1">' : ''}
<button type="submit">${esc(form.submitLabel ?? 'Sign up')}</button>
</form>`;
  return layout({ title: `${form.title} – ${workspace.brandName}`, body, nonce: input.nonce, embed: input.embed });
}

export function renderMessagePage(options: { title: string; heading: string; message: string; nonce: string; embed?: boolean; role?: 'status' | 'alert' }): string {
  return layout({
    title: options.title,
    nonce: options.nonce,
    embed: options.embed,
    body: `<h1>${esc(options.heading)}</h1>\n<p role="${options.role ?? 'status'}">${esc(options.message)}</p>`,
  });
}

/** The embed snippet's script: inserts the hosted form in an iframe that follows its height. */
export function renderEmbedScript(pageUrl: string, title: string): string {
  const origin = new URL(pageUrl).origin;
  return `(function(){var s=document.currentScript;if(!s)return;var f=document.createElement('iframe');
f.src=${JSON.stringify(`${pageUrl}?embed=1&ref=`)}+encodeURIComponent(location.href);
f.title=${JSON.stringify(title)};f.loading='lazy';f.setAttribute('style','width:100%;max-width:32rem;border:0;min-height:36rem');
s.parentNode.insertBefore(f,s);
addEventListener('message',function(e){if(e.origin===${JSON.stringify(origin)}&&e.source===f.contentWindow&&e.data&&e.data.optlineFormHeight){f.style.height=e.data.optlineFormHeight+'px'}});})();
`;
}

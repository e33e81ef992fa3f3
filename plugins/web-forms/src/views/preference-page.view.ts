import { maskPhone } from '@optline/core';
import { CONSENT_MESSAGE_TYPES } from '@optline/plugin-sdk';
import type { PreferenceView } from '../preferences/preference.service';
import { esc, escWithLinks, layout } from './html';

const TYPE_TEXT: Record<string, { label: string; hint: string }> = {
  marketing: { label: 'Offers and news', hint: 'Promotions, new products and events.' },
  transactional: { label: 'Order and account updates', hint: 'Confirmations, shipping and appointment reminders.' },
  conversational: { label: 'Replies from our team', hint: 'Messages in a conversation you started.' },
};

/** The preference page: one checkbox per message type, a save button, and "stop all". */
export function renderPreferencePage(input: { view: PreferenceView; token: string; nonce: string; notice?: string }): string {
  const { view } = input;
  const brand = view.workspace.brandName;
  const boxes = CONSENT_MESSAGE_TYPES.map((type) => {
    const state = view.states[type];
    const on = state === 'opted_in' || state === 'pending';
    const text = TYPE_TEXT[type];
    return `<div class="check">
<input type="checkbox" id="type-${type}" name="types" value="${type}"${on ? ' checked' : ''} aria-describedby="type-${type}-hint">
<label for="type-${type}">${esc(text.label)}<br><span class="hint" id="type-${type}-hint">${esc(text.hint)}${state === 'pending' ? ' Waiting for your YES reply.' : ''}</span></label>
</div>`;
  }).join('\n');
  const body = `<h1>Your text messages from ${esc(brand)}</h1>
<p>For ${esc(maskPhone(view.contact.phone))}. Choose what we may text you.</p>
${input.notice ? `<p role="status" class="notice"><strong>${esc(input.notice)}</strong></p>` : ''}
<form method="post" action="/p/${esc(input.token)}">
<fieldset>
<legend>Send me</legend>
${boxes}
</fieldset>
${view.disclosure ? `<p class="disclosure">${escWithLinks(view.disclosure.text)}</p>` : '<p class="disclosure">Msg & data rates may apply. Reply STOP to cancel, HELP for help.</p>'}
<button type="submit" name="action" value="save">Save my choices</button>
<button type="submit" name="action" value="stop_all" class="secondary">Stop all texts</button>
</form>`;
  return layout({ title: `Text preferences – ${brand}`, body, nonce: input.nonce });
}

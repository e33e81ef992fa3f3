import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError } from '@optline/core';
import { HostDisclosure, HostWorkspace, InstallationContext, PluginHost } from '@optline/plugin-sdk';
import { createHash } from 'node:crypto';
import { FormConfig, WebFormsConfig } from '../web-forms.config';
import { WEB_FORMS_PLUGIN_ID } from '../web-forms.plugin';
import { composeDisclosure } from './disclosure-text';

const FORM_ID = /^([a-z0-9][a-z0-9-]{0,39})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A form as a request finds it: where it lives, what it shows, and the disclosure version shown. */
export interface ResolvedForm {
  formId: string;
  form: FormConfig;
  installation: InstallationContext<WebFormsConfig>;
  workspace: HostWorkspace;
  disclosure: HostDisclosure;
}

interface DisclosureCache {
  [formKey: string]: { hash: string; id: string; version: number };
}

/** The public id of a form: its key and its installation, so it needs no lookup table. */
export function publicFormId(formKey: string, installationId: string): string {
  return `${formKey}-${installationId}`;
}

/**
 * Finds the form a public id names and the disclosure version it shows. The disclosure text is
 * versioned in the consent module; a new version is recorded the first time a changed text is
 * shown, and its id is cached in the installation's state.
 */
@Injectable()
export class FormDirectory {
  constructor(
    private readonly host: PluginHost,
    private readonly config: AppConfig,
  ) {}

  async resolve(formId: string): Promise<ResolvedForm> {
    const match = FORM_ID.exec(formId);
    const installation = match ? await this.host.installation<WebFormsConfig>(WEB_FORMS_PLUGIN_ID, match[2]) : null;
    const form = installation?.enabled ? installation.config.forms.find((f) => f.key === match![1]) : undefined;
    if (!installation || !form) throw new DomainError('not_found', 'form_not_found', 'This form does not exist or is switched off');
    const workspace = await this.host.workspace(installation.workspaceId);
    const disclosure = await this.disclosureFor(installation, form, workspace);
    return { formId, form, installation, workspace, disclosure };
  }

  /** Every form of an installation with its public addresses (for admins). */
  listForms(installation: InstallationContext<WebFormsConfig>) {
    return installation.config.forms.map((form) => {
      const formId = publicFormId(form.key, installation.id);
      const pageUrl = `${this.config.publicUrl}/f/${formId}`;
      return {
        formId,
        key: form.key,
        title: form.title,
        pageUrl,
        embedSnippet: `<script src="${pageUrl}/embed.js" async></script>`,
        submissionsUrl: `${this.config.publicUrl}/v1/forms/${formId}/submissions`,
      };
    });
  }

  disclosureText(form: FormConfig, workspace: HostWorkspace): string {
    return (
      form.disclosureText ??
      composeDisclosure({ brand: workspace.brandName, types: form.consentTypes, frequency: form.frequency, termsUrl: form.termsUrl, privacyUrl: form.privacyUrl })
    );
  }

  private async disclosureFor(installation: InstallationContext<WebFormsConfig>, form: FormConfig, workspace: HostWorkspace): Promise<HostDisclosure> {
    const text = this.disclosureText(form, workspace);
    const hash = createHash('sha256').update(text).digest('hex');
    const cache = (installation.state.disclosures ?? {}) as DisclosureCache;
    const cached = cache[form.key];
    if (cached?.hash === hash) return { id: cached.id, version: cached.version, text };
    const created = await this.host.createDisclosure(installation.workspaceId, text);
    await this.host.updateState(installation, { disclosures: { ...cache, [form.key]: { hash, id: created.id, version: created.version } } });
    return created;
  }
}

import { Injectable } from '@nestjs/common';
import { PluginHost } from '@optline/plugin-sdk';
import type { InstallationContext, LifecycleResult, OptlinePlugin } from '@optline/plugin-sdk';
import { DOUBLE_OPT_IN_TEMPLATE } from './forms/sms-outcome';
import { WebFormsConfig } from './web-forms.config';

export const WEB_FORMS_PLUGIN_ID = 'web-forms';

/**
 * Opt-in from the business's website: hosted forms (`/f/:formId`), an embeddable snippet, a JSON
 * endpoint for sites with their own forms, and the preference page (`/p/:token`). Submissions
 * become `form.submitted` events through the PluginHost; it takes no vendor webhooks.
 */
@Injectable()
export class WebFormsPlugin implements OptlinePlugin<WebFormsConfig> {
  readonly id = WEB_FORMS_PLUGIN_ID;
  readonly name = 'Web forms';
  readonly description = 'Hosted opt-in forms with the full disclosure, an embeddable snippet, and a JSON endpoint for your own forms.';
  readonly emits = ['form.submitted'] as const;
  readonly configClass = WebFormsConfig;
  readonly consentSource = 'web_form' as const;
  readonly ingress = false as const;

  constructor(private readonly host: PluginHost) {}

  /**
   * A ticked box promises a text asking for YES: enabling the forms sets up the double opt-in
   * flow that sends it (created from its template and activated when missing; a flow someone
   * paused stays paused, and the success page then says no text was sent). Decision 0163.
   */
  async onEnable(installation: InstallationContext<WebFormsConfig>): Promise<LifecycleResult> {
    const flow = await this.host.ensureTemplateFlow(installation.workspaceId, DOUBLE_OPT_IN_TEMPLATE);
    return { state: { doubleOptInFlow: { id: flow.flowId, status: flow.status, ...(flow.changed && { changed: flow.changed }) } } };
  }
}

import { Injectable } from '@nestjs/common';
import type { OptlinePlugin } from '@optline/plugin-sdk';
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
}

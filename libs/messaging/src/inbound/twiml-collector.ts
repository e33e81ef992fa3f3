import type { ResolvedProviderConfig } from '../providers/sms-provider-config.service';
import type { OutboundSms, ProviderAcceptance, SmsProvider } from '../providers/sms-provider';

/** A provider that "sends" by keeping the text for the webhook's TwiML answer. */
export class TwimlCollector implements SmsProvider {
  readonly kind = 'twiml' as const;

  body: string | null = null;

  async send(sms: OutboundSms): Promise<ProviderAcceptance> {
    this.body = sms.body;
    return { providerMessageId: `twiml-${sms.messageId}`, sender: null };
  }

  config(workspaceId: string): ResolvedProviderConfig {
    return { workspaceId, kind: 'twilio', settings: {}, secrets: {}, version: 'twiml' };
  }
}

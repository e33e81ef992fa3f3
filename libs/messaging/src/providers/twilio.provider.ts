import twilio from 'twilio';
import { ProviderAcceptance, ProviderError, OutboundSms, SmsProvider } from './sms-provider';
import { TwilioHttpClient } from './twilio-http-client';
import { twilioErrorKind } from './twilio-errors';

export interface TwilioProviderOptions {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  apiBaseUrl?: string;
}

/** Sends through Twilio's Messages API with the official SDK and the workspace's own credentials. */
export class TwilioSmsProvider implements SmsProvider {
  readonly kind = 'twilio' as const;

  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioProviderOptions) {
    this.client = twilio(options.accountSid, options.authToken, {
      httpClient: new TwilioHttpClient(options.apiBaseUrl) as never,
      autoRetry: false,
    });
  }

  async send(sms: OutboundSms): Promise<ProviderAcceptance> {
    try {
      const created = await this.client.messages.create({
        to: sms.to,
        body: sms.body,
        statusCallback: sms.statusCallbackUrl,
        ...(sms.from ? { from: sms.from } : this.options.messagingServiceSid ? { messagingServiceSid: this.options.messagingServiceSid } : { from: this.options.from }),
      });
      return { providerMessageId: created.sid, sender: created.from ?? created.messagingServiceSid ?? null };
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      const rest = error as { status?: number; code?: number | string; message?: string };
      if (typeof rest.status === 'number') {
        const code = rest.code === undefined || rest.code === null ? String(rest.status) : String(rest.code);
        throw new ProviderError(twilioErrorKind(rest.code, rest.status), code, rest.message ?? `Twilio answered ${rest.status}`);
      }
      // Anything else (a malformed answer) came after the request reached Twilio.
      throw new ProviderError('ambiguous', 'twilio_unexpected', (error as Error).message ?? String(error));
    }
  }
}

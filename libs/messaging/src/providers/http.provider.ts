import { classifyHttpStatus, classifyNetworkError, OutboundSms, ProviderAcceptance, ProviderError, SmsProvider } from './sms-provider';
import { signHttpRequest } from './http-signature';

export interface HttpProviderOptions {
  url: string;
  signingSecret: string;
  from?: string;
  /** Unix seconds for the signature timestamp (the hub's clock). */
  now: () => number;
}

const TIMEOUT_MS = 15_000;

/**
 * For carriers without an adapter: POSTs each text as JSON `{ messageId, to, from, body,
 * statusCallbackUrl }` signed with Standard Webhooks (webhook-id is the message id, so a retried
 * hand-off is recognisable) and expects `2xx { "id": "<carrier id>" }`.
 * An error answer may carry `{ "code": "opt_out" | "invalid_number" | ..., "message" }`.
 */
export class HttpSmsProvider implements SmsProvider {
  readonly kind = 'http' as const;

  constructor(private readonly options: HttpProviderOptions) {}

  async send(sms: OutboundSms): Promise<ProviderAcceptance> {
    const body = JSON.stringify({ messageId: sms.messageId, to: sms.to, from: sms.from ?? this.options.from ?? null, body: sms.body, statusCallbackUrl: sms.statusCallbackUrl });
    const at = new Date(this.options.now() * 1000);
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signHttpRequest(this.options.signingSecret, sms.messageId, at, body),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'manual',
      });
      text = await response.text();
    } catch (error) {
      throw classifyNetworkError(error);
    }
    const parsed = safeJson(text);
    if (!response.ok) {
      const code = typeof parsed?.code === 'string' ? parsed.code : null;
      const message = typeof parsed?.message === 'string' ? parsed.message : `carrier answered ${response.status}`;
      if (code === 'opt_out' || code === 'invalid_number') throw new ProviderError(code, code, message);
      throw classifyHttpStatus(response.status, code, message);
    }
    if (typeof parsed?.id !== 'string' || parsed.id.length === 0) {
      // The carrier took it (2xx) but did not say under which id: sent, without a way to match callbacks.
      return { providerMessageId: `http-${sms.messageId}`, sender: sms.from ?? this.options.from ?? null };
    }
    return { providerMessageId: parsed.id, sender: sms.from ?? this.options.from ?? null };
  }
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

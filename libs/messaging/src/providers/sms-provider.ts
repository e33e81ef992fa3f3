import type { ProviderKind } from './sms-provider-config.entity';

/** One text to hand to a provider. */
export interface OutboundSms {
  messageId: string;
  workspaceId: string;
  to: string;
  body: string;
  /** Where the provider should report delivery (Twilio StatusCallback, http provider). */
  statusCallbackUrl: string;
  /** The workspace's sender picked for this text (docs/senders.md); none = the provider's own `from`. */
  from?: string;
}

/** The provider took the message. */
export interface ProviderAcceptance {
  providerMessageId: string;
  /** Our number or service the text goes out from, as the provider reports it. */
  sender: string | null;
}

/**
 * How a failed hand-off is handled (docs/compliance.md; Twilio's documented error codes):
 * - `retry`: the provider certainly did not take it (429, 5xx, connection refused) — try later;
 * - `ambiguous`: it may have taken it (timeout or reset after the request left) — never re-send
 *   (law 4: at most once past the hand-off);
 * - `permanent`: refused for good;
 * - `opt_out`: the person STOPped at the provider (Twilio 21610) — record an opt-out;
 * - `invalid_number`: the number cannot receive texts (invalid, landline) — suppress it.
 */
export type ProviderFailureKind = 'retry' | 'ambiguous' | 'permanent' | 'opt_out' | 'invalid_number';

export class ProviderError extends Error {
  override name = 'ProviderError';

  constructor(
    readonly kind: ProviderFailureKind,
    /** The provider's error code (Twilio's numeric code, an HTTP status, a socket error code). */
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An SMS provider adapter. Only libs/messaging/src/providers may talk to an SMS vendor (law 1);
 * everything else reaches a provider through the send gateway.
 */
export interface SmsProvider {
  /** Stored on each message it sent; `twiml` is a reply returned inside Twilio's webhook answer. */
  readonly kind: ProviderKind | 'twiml';
  /** Hands one text over; throws ProviderError when it was not taken. */
  send(sms: OutboundSms): Promise<ProviderAcceptance>;
}

/** Classifies a network failure of an HTTP call to a provider. */
export function classifyNetworkError(error: unknown): ProviderError {
  const err = error as { name?: string; code?: string; cause?: { code?: string; name?: string }; message?: string };
  const code = err.cause?.code ?? err.code ?? err.name ?? 'network_error';
  // These fail before a byte reaches the provider: the message was certainly not taken.
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)) {
    return new ProviderError('retry', code, `provider unreachable (${code})`);
  }
  // A timeout or a reset after the request left: the provider may have taken it.
  return new ProviderError('ambiguous', code, `provider call ended without an answer (${code}): ${err.message ?? ''}`.trim());
}

/** Classifies an HTTP answer that is not a success, by status alone. */
export function classifyHttpStatus(status: number, code: string | null, message: string): ProviderError {
  if (status === 429 || status >= 500) return new ProviderError('retry', code ?? String(status), message);
  return new ProviderError('permanent', code ?? String(status), message);
}

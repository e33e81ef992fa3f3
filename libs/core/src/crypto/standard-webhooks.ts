import { Logger } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * The one signing scheme of every webhook the hub sends or receives: Standard Webhooks
 * (https://www.standardwebhooks.com). Headers `webhook-id`, `webhook-timestamp` (unix seconds)
 * and `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>`; the
 * maintained `standardwebhooks` library computes the MAC, so any receiver using one of its
 * verifiers (Node, Python, Go, Ruby, PHP, Java…) agrees with us. docs/webhooks.md.
 */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** The scheme in one line, for API answers and docs. */
export const STANDARD_WEBHOOKS_SCHEME = 'Standard Webhooks v1: base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"))';

/** How far a signed request's timestamp may be from our clock (the library's own tolerance). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const STANDARD_SECRET = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new secret in the standard form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Whether a secret is in the standard form (`whsec_` + base64), which the libraries decode. */
export function isStandardSecret(secret: string): boolean {
  return STANDARD_SECRET.test(secret) && secret.length > 'whsec_'.length;
}

/**
 * The library's signer for a secret. A secret in the standard form is base64-decoded (what every
 * Standard Webhooks library does); any other string — a signing secret an admin typed before the
 * hub used this scheme — is used as its own bytes, the library's `{ format: 'raw' }`, so its HMAC
 * key is the one it always was (decision 0233).
 */
export function webhookSigner(secret: string): Webhook {
  return isStandardSecret(secret) ? new Webhook(secret) : new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
}

export interface SignedWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers of one signed request. `id` stays the same across retries, so receivers can drop duplicates. */
export function signWebhook(secret: string, id: string, at: Date, body: string | Buffer): SignedWebhookHeaders {
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(Math.floor(at.getTime() / 1000)),
    [WEBHOOK_SIGNATURE_HEADER]: webhookSigner(secret).sign(id, at, body),
  };
}

/**
 * Checks a signed request against the hub's clock (the library's `verify` reads the machine's
 * clock, which tests and a hub with a controlled clock do not follow). Returns why it fails, or
 * null when one of the space-separated signatures matches. Constant-time comparison.
 */
export function webhookSignatureProblem(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer | string,
  nowMs: number,
): string | null {
  const header = (name: string) => {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header(WEBHOOK_ID_HEADER);
  const timestamp = header(WEBHOOK_TIMESTAMP_HEADER);
  const signature = header(WEBHOOK_SIGNATURE_HEADER);
  if (!id || !timestamp || !signature) return 'the webhook-id, webhook-timestamp and webhook-signature headers are required';
  if (!/^\d{1,12}$/.test(timestamp)) return 'webhook-timestamp must be unix seconds';
  const seconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > WEBHOOK_TOLERANCE_SECONDS) return 'the webhook-timestamp is more than 5 minutes away from now';
  const expected = Buffer.from(webhookSigner(secret).sign(id, new Date(seconds * 1000), rawBody));
  const matches = signature.split(' ').some((given) => {
    const candidate = Buffer.from(given);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  return matches ? null : 'the webhook-signature does not match the body';
}

/** Says in the log, at most once an hour per workspace, that a sender still uses the old scheme. */
export class LegacySignatureNotice {
  private readonly logger = new Logger(LegacySignatureNotice.name);
  private readonly lastWarned = new Map<string, number>();

  constructor(private readonly what: string) {}

  note(workspaceId: string): void {
    const now = Date.now();
    if (now - (this.lastWarned.get(workspaceId) ?? 0) < 3600_000) return;
    if (this.lastWarned.size > 10_000) this.lastWarned.clear();
    this.lastWarned.set(workspaceId, now);
    this.logger.warn({ workspaceId }, `${this.what} signed with the old X-Optline-Signature scheme: move the sender to Standard Webhooks (docs/webhooks.md, "Migrating")`);
  }
}

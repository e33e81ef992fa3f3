import { createHmac, randomBytes } from 'node:crypto';

/** Header names of a flow's webhook calls. */
export const WEBHOOK_SIGNATURE_HEADER = 'optline-signature';
export const WEBHOOK_DELIVERY_HEADER = 'optline-delivery';

/** A new per-flow signing secret (shown to the admin, sealed at rest). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` — the Stripe scheme: the
 * timestamp lets the receiver refuse replays older than a few minutes.
 */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** The receiver's check (documented in docs/flows.md; used by our tests). */
export function verifyWebhook(secret: string, body: string, header: string, now: Date, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return parts.v1 === expected;
}

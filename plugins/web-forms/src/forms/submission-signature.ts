import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signed request's timestamp may be from the hub clock (replay protection). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The scheme before Standard Webhooks: `X-Optline-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<raw body>")>` (the Stripe scheme). Still accepted from servers that
 * send no `webhook-signature`, so sites keep their sign-ups while they move (decision 0233).
 */
export function signSubmission(secret: string, rawBody: Buffer | string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.`).update(rawBody).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Checks a signature header over the raw body in constant time; returns why it fails, or null when valid. Pure. */
export function signatureProblem(secret: string, header: string | undefined, rawBody: Buffer, nowMs: number): string | null {
  if (!header) return 'X-Optline-Signature is missing';
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/i.test(given)) return 'X-Optline-Signature must look like t=<unix seconds>,v1=<hex>';
  if (Math.abs(nowMs / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return 'the signature timestamp is more than 5 minutes away from now';
  const expected = Buffer.from(signSubmission(secret, rawBody, t).split('v1=')[1], 'hex');
  const actual = Buffer.from(given, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? null : 'the signature does not match the body';
}

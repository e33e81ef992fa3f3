import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signed request's timestamp may be from our clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export const SIGNATURE_HEADER = 'x-optline-signature';
export const TIMESTAMP_HEADER = 'x-optline-timestamp';

/**
 * The `http` provider's signature, both ways (what we POST to the carrier, what it POSTs back):
 * `X-Optline-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with
 * `X-Optline-Timestamp: <unix seconds>`. The timestamp inside the MAC stops replays of old bodies.
 */
export function signHttpPayload(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

export function verifyHttpSignature(
  secret: string,
  header: { signature?: string; timestamp?: string },
  rawBody: Buffer | string,
  nowMs: number,
): boolean {
  if (!header.signature || !header.timestamp || !/^\d{1,12}$/.test(header.timestamp)) return false;
  const timestamp = Number(header.timestamp);
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signHttpPayload(secret, timestamp, rawBody));
  const given = Buffer.from(header.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

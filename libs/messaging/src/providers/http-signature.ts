import { signWebhook, webhookSignatureProblem, WEBHOOK_SIGNATURE_HEADER } from '@optline/core';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signed request's timestamp may be from our clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The scheme before Standard Webhooks, accepted and sent alongside it while carriers move (decision 0233). */
export const SIGNATURE_HEADER = 'x-optline-signature';
export const TIMESTAMP_HEADER = 'x-optline-timestamp';

/**
 * The `http` provider's signatures, both ways (what we POST to the carrier, what it POSTs back):
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`, docs/webhooks.md).
 * Outbound requests also carry the older `X-Optline-Timestamp` + `X-Optline-Signature:
 * sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, so a carrier that verifies the old
 * way keeps working until it moves; inbound, the old pair is still accepted when no
 * `webhook-signature` is sent. A lost carrier callback can be a lost STOP, so the old scheme is
 * retired only once carriers have moved.
 */
export function signHttpRequest(secret: string, id: string, at: Date, rawBody: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return { ...signWebhook(secret, id, at, rawBody), [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signLegacy(secret, timestamp, rawBody) };
}

export interface HttpSignatureCheck {
  /** Why it fails, or null. */
  problem: string | null;
  /** The request used the old X-Optline-Signature scheme. */
  legacy: boolean;
}

/** Checks a carrier's request: Standard Webhooks when `webhook-signature` is present, else the old scheme. */
export function checkHttpSignature(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: Buffer | string, nowMs: number): HttpSignatureCheck {
  if (headers[WEBHOOK_SIGNATURE_HEADER] !== undefined) return { problem: webhookSignatureProblem(secret, headers, rawBody, nowMs), legacy: false };
  const signature = single(headers[SIGNATURE_HEADER]);
  const timestamp = single(headers[TIMESTAMP_HEADER]);
  if (!signature || !timestamp) return { problem: 'the webhook-id, webhook-timestamp and webhook-signature headers are required', legacy: false };
  return { problem: legacyProblem(secret, signature, timestamp, rawBody, nowMs), legacy: true };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function signLegacy(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

function legacyProblem(secret: string, signature: string, timestamp: string, rawBody: Buffer | string, nowMs: number): string | null {
  if (!/^\d{1,12}$/.test(timestamp)) return 'X-Optline-Timestamp must be unix seconds';
  const seconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > SIGNATURE_TOLERANCE_SECONDS) return 'the timestamp is more than 5 minutes away from now';
  const expected = Buffer.from(signLegacy(secret, seconds, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? null : 'the signature does not match the body';
}


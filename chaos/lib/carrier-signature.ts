import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'chaos-carrier-signing-secret-0123';

/** The http provider's signature (docs/messaging.md): HMAC-SHA256 of "timestamp.body". */
export function sign(timestamp: number, raw: string): string {
  return `sha256=${createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.`).update(raw).digest('hex')}`;
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret for a link or cookie: 32 bytes, base64url, with a short prefix saying what it is. */
export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Tokens are long and random, so SHA-256 (not a slow hash) is enough to keep a database leak from exposing them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

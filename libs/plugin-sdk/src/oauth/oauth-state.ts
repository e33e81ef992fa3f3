import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where a plugin keeps its pending authorization in the installation's `state` (decision 0250). */
export const OAUTH_STATE_KEY = 'oauth';

/** An admin has this long between "Connect" and approving at the vendor. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** What is stored for a Connect in progress: only the hash of the state, never the state itself. */
export interface PendingAuthorization {
  stateHash: string;
  expiresAt: string;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * A fresh authorization: 192 random bits for the vendor's `state` parameter, and what to store
 * (its SHA-256 and expiry) under OAUTH_STATE_KEY. One pending authorization per installation: a
 * new Connect replaces the previous one.
 */
export function newAuthorization(now: Date, ttlMs = OAUTH_STATE_TTL_MS): { state: string; pending: PendingAuthorization } {
  const state = randomBytes(24).toString('base64url');
  return { state, pending: { stateHash: sha256(state).toString('hex'), expiresAt: new Date(now.getTime() + ttlMs).toISOString() } };
}

/** Does `state` (from the vendor's redirect) match the pending authorization, before it expired? Constant-time. */
export function authorizationMatches(pending: unknown, state: unknown, now: Date): boolean {
  if (typeof state !== 'string' || state.length === 0 || state.length > 256) return false;
  if (!pending || typeof pending !== 'object') return false;
  const { stateHash, expiresAt } = pending as Partial<PendingAuthorization>;
  if (typeof stateHash !== 'string' || typeof expiresAt !== 'string' || Date.parse(expiresAt) <= now.getTime()) return false;
  const expected = Buffer.from(stateHash, 'hex');
  const actual = sha256(state);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

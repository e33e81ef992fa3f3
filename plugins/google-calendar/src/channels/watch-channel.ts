import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * One push-notification channel, as kept in the installation's `state.channels`. The channel
 * token is a per-channel secret sent to Google once; only its SHA-256 is kept, which is enough to
 * check the `X-Goog-Channel-Token` of each notification.
 */
export interface WatchChannel {
  calendarId: string;
  id: string;
  tokenHash: string;
  resourceId: string;
  /** The notification URL the channel was opened with; a different PUBLIC_URL means a new channel. */
  address: string;
  /** ISO instant when Google stops sending, or null when Google did not say. */
  expiresAt: string | null;
  createdAt: string;
}

/** Renew a channel this long before it expires (channels cannot be extended, only replaced). */
export const RENEW_BEFORE_MS = 24 * 3600_000;
/** A channel whose expiry Google did not state is replaced after this long. */
export const ASSUMED_LIFETIME_MS = 6 * 24 * 3600_000;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The channels in an installation's state, ignoring anything malformed. */
export function channelsOf(state: Record<string, unknown> | null | undefined): WatchChannel[] {
  const list = state?.channels;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is WatchChannel =>
      typeof c === 'object' && c !== null && typeof c.id === 'string' && typeof c.calendarId === 'string' && typeof c.tokenHash === 'string' && typeof c.resourceId === 'string',
  );
}

export function findChannel(state: Record<string, unknown> | null | undefined, channelId: string): WatchChannel | undefined {
  return channelsOf(state).find((c) => c.id === channelId);
}

/** A fresh channel id (≤ 64 characters, unique) and its secret token. */
export function newChannelSecret(): { id: string; token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { id: randomUUID(), token, tokenHash: sha256(token).toString('hex') };
}

const DUMMY_HASH = sha256('no such channel');

/**
 * Whether `token` is the channel's token. Compares fixed-length digests in constant time, and
 * does the same work when the channel is unknown, so timing tells nothing about either.
 */
export function tokenMatches(channel: WatchChannel | undefined, token: string): boolean {
  const expected = channel && /^[0-9a-f]{64}$/.test(channel.tokenHash) ? Buffer.from(channel.tokenHash, 'hex') : DUMMY_HASH;
  const equal = timingSafeEqual(expected, sha256(token));
  return channel !== undefined && equal;
}

/** The instant from which a channel should be replaced. */
export function renewalDueAt(channel: WatchChannel): Date {
  if (channel.expiresAt) return new Date(new Date(channel.expiresAt).getTime() - RENEW_BEFORE_MS);
  return new Date(new Date(channel.createdAt).getTime() + ASSUMED_LIFETIME_MS);
}

export function isRenewalDue(channel: WatchChannel, now: Date): boolean {
  return renewalDueAt(channel).getTime() <= now.getTime();
}

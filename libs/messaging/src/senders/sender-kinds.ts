import type { MessageType } from '../message/message.entity';

export const SENDER_KINDS = ['long_code', 'ten_dlc', 'toll_free', 'short_code', 'alphanumeric'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];

/**
 * A brand's 10DLC standing after vetting (The Campaign Registry's trust score bands, as Twilio
 * publishes them), or a sole proprietor / low-volume brand that skipped secondary vetting.
 */
export const TEN_DLC_TIERS = ['sole_proprietor', 'low_volume', 'score_1_24', 'score_25_49', 'score_50_74', 'score_75_100'] as const;
export type TenDlcTier = (typeof TEN_DLC_TIERS)[number];

export const TOLL_FREE_TIERS = ['verified'] as const;
export type TollFreeTier = (typeof TOLL_FREE_TIERS)[number];

/**
 * Default throughput (messages per second) and T-Mobile's daily cap per brand by 10DLC tier.
 * Sources (docs/senders.md): Twilio's "10DLC throughput" and "T-Mobile daily message limits"
 * support pages — trust score 75–100: 225 msg/s total over the major carriers and 200,000 a
 * day; 50–74: 120 msg/s, 40,000; 25–49: 12 msg/s, 10,000; 1–24: 12 msg/s, 2,000; low-volume
 * standard brands 1.25 msg/s (75 a minute), 2,000; sole proprietors 1 msg/s, 1,000.
 */
export const TEN_DLC_DEFAULTS: Record<TenDlcTier, { perSecond: number; dailyCap: number }> = {
  sole_proprietor: { perSecond: 1, dailyCap: 1_000 },
  low_volume: { perSecond: 1.25, dailyCap: 2_000 },
  score_1_24: { perSecond: 12, dailyCap: 2_000 },
  score_25_49: { perSecond: 12, dailyCap: 10_000 },
  score_50_74: { perSecond: 120, dailyCap: 40_000 },
  score_75_100: { perSecond: 225, dailyCap: 200_000 },
};

/** A brand registered without a tier yet: the most cautious registered standing. */
export const DEFAULT_TEN_DLC_TIER: TenDlcTier = 'low_volume';

/**
 * Defaults of the other kinds: an unregistered long code 1 msg/s, a short code 100 msg/s (Twilio's
 * defaults), a verified toll-free number 3 msg/s (Twilio's default toll-free tier; higher tiers
 * are granted per number and entered as `messagesPerSecond`), an alphanumeric sender id 10 msg/s
 * (Twilio's default account rate for alphanumeric senders, where the country allows them).
 */
export const KIND_DEFAULT_PER_SECOND: Record<Exclude<SenderKind, 'ten_dlc'>, number> = {
  long_code: 1,
  short_code: 100,
  toll_free: 3,
  alphanumeric: 10,
};

/** An alphanumeric sender id cannot receive replies: it may not carry texts that expect one. */
export const ONE_WAY_KINDS: SenderKind[] = ['alphanumeric'];
export const TWO_WAY_TYPES: MessageType[] = ['conversational', 'system'];

/** The rate a sender is held to: its explicit grant, else its kind's (and tier's) default. */
export function senderRate(sender: { kind: SenderKind; messagesPerSecond: number | null }, brandTier: TenDlcTier | null): number {
  if (sender.messagesPerSecond) return sender.messagesPerSecond;
  if (sender.kind === 'ten_dlc') return TEN_DLC_DEFAULTS[brandTier ?? DEFAULT_TEN_DLC_TIER].perSecond;
  return KIND_DEFAULT_PER_SECOND[sender.kind];
}

/** The brand's daily cap over its 10DLC senders: the explicit one, else its tier's. */
export function brandDailyCap(limit: { tenDlcTier: TenDlcTier | null; dailyCap: number | null } | null): number {
  if (limit?.dailyCap !== null && limit?.dailyCap !== undefined) return limit.dailyCap;
  return TEN_DLC_DEFAULTS[limit?.tenDlcTier ?? DEFAULT_TEN_DLC_TIER].dailyCap;
}

/** Kinds whose messages count towards the brand's daily cap (T-Mobile's cap applies to 10DLC). */
export function countsTowardsBrandCap(kind: SenderKind): boolean {
  return kind === 'ten_dlc';
}

/**
 * The sender a message goes out from: among the enabled senders that may carry its type, the
 * same one for the same number every time (people see one number from the business, and a
 * conversation stays on the number they answered), spread over senders by the number's hash.
 */
export function pickSender<S extends { id: string; messageTypes: string[]; enabled: boolean }>(senders: S[], type: string, phone: string): S | null {
  const eligible = senders.filter((s) => s.enabled && s.messageTypes.includes(type)).sort((a, b) => a.id.localeCompare(b.id));
  if (eligible.length === 0) return null;
  let hash = 0;
  for (const ch of phone) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return eligible[hash % eligible.length];
}

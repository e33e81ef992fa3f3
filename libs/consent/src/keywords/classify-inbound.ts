import { DEFAULT_KEYWORDS, FILLER_WORDS, INFORMAL_REVOCATIONS, KeywordLists, SPANISH_KEYWORDS } from './keyword-lists';

export type KeywordKind = 'stop' | 'start' | 'help' | 'yes' | 'no' | 'none';

/** What an inbound text means for consent. */
export interface KeywordVerdict {
  kind: KeywordKind;
  /** An opt-out worded in the person's own words ("please stop texting me") rather than a keyword. */
  informal: boolean;
  /** A human should look at it: a keyword inside a longer sentence, or a vague revocation. */
  flagForReview: boolean;
  /** The keyword or phrase that decided, normalised. */
  matched?: string;
  /** The language of the keyword: a Spanish keyword gets the Spanish answer. */
  language: 'en' | 'es';
}

/** Twilio Advanced Opt-Out's `OptOutType` values and what they mean to us. */
const OPT_OUT_TYPES: Record<string, KeywordKind> = { STOP: 'stop', START: 'start', HELP: 'help' };

/** Families in the order a whole-message match is tried; stop wins any tie. */
const FAMILIES: Exclude<KeywordKind, 'none'>[] = ['stop', 'start', 'help', 'yes', 'no'];

/**
 * Lower case, accents removed, every run of punctuation/emoji/whitespace turned into one space:
 * "¡ALTO!!" → "alto", "Don't text me." → "don t text me", "Opt-Out" → "opt out".
 */
export function normalizeInboundText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}#]+/gu, ' ')
    .trim();
}

function wholeMessageMatch(words: string[], lists: KeywordLists): { kind: Exclude<KeywordKind, 'none'>; matched: string } | null {
  const joined = words.join(' ');
  for (const kind of FAMILIES) {
    if (lists[kind].includes(joined)) return { kind, matched: joined };
  }
  // One keyword (possibly of several words) surrounded only by filler: "stop please", "STOP IT NOW".
  const meaningful = words.filter((w) => !FILLER_WORDS.has(w));
  if (meaningful.length === 0 || meaningful.length === words.length) return null;
  const core = meaningful.join(' ');
  for (const kind of FAMILIES) {
    if (lists[kind].includes(core)) return { kind, matched: core };
  }
  return null;
}

function containedStopKeyword(normalized: string, lists: KeywordLists): string | undefined {
  const padded = ` ${normalized} `;
  return lists.stop.find((keyword) => padded.includes(` ${keyword} `));
}

/**
 * Classifies an inbound SMS for keyword handling (docs/compliance.md "Keywords"):
 * - a message that is exactly a keyword (any case, any punctuation, with polite filler) is that
 *   keyword; multi-word keywords ("opt out", "stop all") match too — stricter than Twilio, which
 *   only acts on single words;
 * - informal revocations ("please stop texting me", "take me off this list") are opt-outs with
 *   `informal: true`, the vaguer ones ("wrong number") also flagged for review;
 * - a text that merely contains an opt-out word ("I'll stop by tomorrow") is not an opt-out but
 *   is flagged for a human;
 * - Twilio's `OptOutType` (Advanced Opt-Out) is honoured when our reading finds nothing, because
 *   Twilio has already acted on it at its side.
 */
export function classifyInbound(text: string, optOutType?: string, lists: KeywordLists = DEFAULT_KEYWORDS): KeywordVerdict {
  const normalized = normalizeInboundText(text ?? '');
  const words = normalized.length > 0 ? normalized.split(' ') : [];

  const whole = wholeMessageMatch(words, lists);
  if (whole) return { kind: whole.kind, informal: false, flagForReview: false, matched: whole.matched, language: SPANISH_KEYWORDS.has(whole.matched) ? 'es' : 'en' };

  for (const { pattern, flag, language } of INFORMAL_REVOCATIONS) {
    const found = pattern.exec(normalized);
    if (found) return { kind: 'stop', informal: true, flagForReview: flag, matched: found[0], language: language ?? 'en' };
  }

  const signalled = optOutType ? OPT_OUT_TYPES[optOutType.trim().toUpperCase()] : undefined;
  if (signalled) return { kind: signalled, informal: false, flagForReview: false, matched: `OptOutType=${optOutType!.trim().toUpperCase()}`, language: 'en' };

  const contained = containedStopKeyword(normalized, lists);
  if (contained) return { kind: 'none', informal: false, flagForReview: true, matched: contained, language: 'en' };
  return { kind: 'none', informal: false, flagForReview: false, language: 'en' };
}

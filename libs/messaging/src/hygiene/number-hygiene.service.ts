import { Injectable, Logger } from '@nestjs/common';
import { SuppressionService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { Clock } from '@optline/core';
import { LineTypeAnswer } from '../providers/line-type-lookup';
import { SmsProviderRegistry } from '../providers/sms-provider.registry';
import { HygieneRepository } from './hygiene.repository';

/** A lookup is trusted this long: numbers are ported between landline and mobile, but rarely. */
export const LOOKUP_TTL_MS = 90 * 86_400_000;

/** Lookups in flight at once for one workspace (Twilio's Lookup rate limits are per account). */
const LOOKUPS_IN_FLIGHT = 8;

/** The suppression reasons hygiene writes, and the actor it writes them as. */
export const HYGIENE_ACTOR = 'hygiene';
export type HygieneReason = 'landline' | 'invalid_number' | 'deactivated';

/** After a failed lookup, a workspace's sends skip lookups this long rather than each waiting on a provider that is down. */
const BACKOFF_MS = 60_000;

/** Line types that cannot receive a text. */
const UNTEXTABLE: Record<string, HygieneReason> = { landline: 'landline' };

export interface ScreenResult {
  looked: number;
  /** The numbers this pass put on the suppression list, with why. */
  suppressed: Map<string, HygieneReason>;
  failed: number;
}

/**
 * Line-type hygiene: looks numbers up through the workspace's provider (Twilio Lookup v2) once per
 * LOOKUP_TTL_MS, keeps the answer keyed by the number's hash, and puts landlines and invalid
 * numbers on the suppression list with the reason. Numbers with a fresh answer cost one indexed
 * query per batch and no call; a workspace without lookup costs nothing.
 */
@Injectable()
export class NumberHygiene {
  private readonly logger = new Logger(NumberHygiene.name);
  private readonly backoffUntil = new Map<string, number>();

  constructor(
    private readonly providers: SmsProviderRegistry,
    private readonly repository: HygieneRepository,
    private readonly contacts: ContactService,
    private readonly suppression: SuppressionService,
    private readonly clock: Clock,
  ) {}

  /** Whether the workspace looks numbers up (its provider config is cached: no query). */
  async enabled(workspaceId: string): Promise<boolean> {
    return (await this.providers.lineTypeLookup(workspaceId)) !== null;
  }

  /**
   * Looks up the numbers among `phones` (E.164) without a fresh answer and suppresses the ones
   * that cannot take a text. A lookup that fails is skipped (looked up again next time): the
   * provider's own refusal of a landline still suppresses it at the hand-off.
   */
  async screen(workspaceId: string, phones: string[]): Promise<ScreenResult> {
    const result: ScreenResult = { looked: 0, suppressed: new Map(), failed: 0 };
    const client = await this.providers.lineTypeLookup(workspaceId);
    if (!client || phones.length === 0 || (this.backoffUntil.get(workspaceId) ?? 0) > Date.now()) return result;
    const byHash = new Map([...new Set(phones)].map((p) => [this.contacts.phoneHash(p), p]));
    const fresh = await this.repository.freshAmong(workspaceId, [...byHash.keys()], new Date(this.clock.nowMs() - LOOKUP_TTL_MS));
    const missing = [...byHash].filter(([hash]) => !fresh.has(hash));
    if (missing.length === 0) return result;

    const answers: { hash: string; phone: string; answer: LineTypeAnswer }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(LOOKUPS_IN_FLIGHT, missing.length) }, async () => {
        while (next < missing.length) {
          const [hash, phone] = missing[next++];
          try {
            answers.push({ hash, phone, answer: await client.lookup(phone) });
          } catch (error) {
            result.failed += 1;
            this.backoffUntil.set(workspaceId, Date.now() + BACKOFF_MS);
            this.logger.warn({ workspaceId, err: error }, 'line-type lookup failed; the number is looked up again next time');
          }
        }
      }),
    );
    const checkedAt = this.clock.now();
    await this.repository.saveLookups(
      workspaceId,
      answers.map(({ hash, answer }) => ({ phoneHash: hash, ...answer, checkedAt })),
    );
    result.looked = answers.length;
    const untextable = answers
      .map(({ phone, answer }) => ({ phone, reason: !answer.valid ? ('invalid_number' as const) : answer.lineType ? UNTEXTABLE[answer.lineType] : undefined }))
      .filter((x): x is { phone: string; reason: HygieneReason } => x.reason !== undefined);
    if (untextable.length > 0) {
      await this.suppression.addMany(workspaceId, untextable, HYGIENE_ACTOR, 'provider');
      for (const u of untextable) result.suppressed.set(u.phone, u.reason);
      this.logger.log({ workspaceId, count: untextable.length }, 'numbers that cannot take a text were suppressed');
    }
    return result;
  }

  /** What the last lookup of `phone` (E.164) said, if it was ever looked up. */
  lastLookup(workspaceId: string, phone: string) {
    return this.repository.lookupOf(workspaceId, this.contacts.phoneHash(phone));
  }

  /** One pass over the workspace's contacts never looked up (imports, new contacts): at most `limit`. */
  async sweep(workspaceId: string, limit = 500): Promise<ScreenResult & { remaining: boolean }> {
    const phones = await this.repository.contactsToLookUp(workspaceId, new Date(this.clock.nowMs() - LOOKUP_TTL_MS), limit);
    const result = await this.screen(workspaceId, phones);
    return { ...result, remaining: phones.length === limit };
  }
}

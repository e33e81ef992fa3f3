import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConsentMessageType, ConsentStates, SendingFactsQuery } from '@optline/consent';
import { DataSource } from 'typeorm';
import type { PolicyTraceEntry, SystemMessageKind } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';

const NO_CONSENT: ConsentStates = { marketing: 'none', transactional: 'none', conversational: 'none' };

/** System texts a person gets once per occasion (COMPLIANCE.md): two attempts racing must not both go. */
export const ONCE_ONLY_KINDS: SystemMessageKind[] = ['stop_confirmation', 'opt_in_request'];

/** What a claim re-checks: consent, suppression, and for a once-only system text the last one handed off. */
export interface ClaimFacts {
  consent: ConsentStates;
  suppressed: boolean;
  /** Once-only system texts: the last hand-off of the same kind to the person (null: none). */
  lastOfKind?: Date | null;
}

/** A message about to be handed off, with the facts its decision was made on. */
export interface ClaimCandidate {
  id: string;
  contactId: string | null;
  phone: string | null;
  body: string;
  segments: number;
  encoding: string;
  trace: PolicyTraceEntry[];
  /** A once-only system text's kind (ONCE_ONLY_KINDS); null otherwise. */
  onceKind: SystemMessageKind | null;
  /** The facts the policies saw when they let it through. */
  seen: ClaimFacts;
  /**
   * A paced message (rate-limited sender): the machine time (ms) by which it must be claimed. A
   * claim that got there later — it waited on its person's sending lock or a slow database — leaves
   * it as it is (`late`), so texts the limiter spaced out do not reach the carrier together.
   */
  claimBy?: number;
}

export interface ClaimResult {
  /** Now `sending`: call the provider. */
  claimed: Set<string>;
  /** Not claimed because its facts changed since the decision: the facts now. */
  changed: Map<string, ClaimFacts>;
  /** Facts unchanged but past its `claimBy`: left queued/deferred, to take a new slot. */
  late: Set<string>;
}

/**
 * Law 2's last check, atomic with the claim that hands messages to the provider (decisions 0145,
 * 0266). One transaction: take the sending locks of these messages' contacts and numbers in
 * shared mode (every consent and suppression writer holds its people's locks exclusively while it
 * writes), read the consent states and the suppression list again, and claim — move to `sending`
 * — only the messages whose facts are still those their policies passed on. An opt-out committed
 * before the locks were granted is seen; one that comes later waits until the claim has
 * committed. So nothing is claimed after an opt-out is recorded, however long the message waited
 * for its rate-limit slot; and an opt-out of one person does not hold up the claims to others.
 *
 * A once-only system text (one STOP confirmation, one opt-in request) is also checked against
 * the texts of its kind handed off since its decision, under a per-contact lock, so two
 * attempts decided at the same moment (two keywords, two jobs) do not both go.
 *
 * Pacing holds at the claim (decision 0144): the locks can keep a claim waiting (its person's
 * opt-out, an import, a database restart). Once everything is read, right before the UPDATE, a paced
 * message past its `claimBy` is not claimed; and `handed_off_at` is that instant (`values.at()`),
 * after the lock wait, not the moment the claim was asked for.
 */
@Injectable()
export class HandoffClaim {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly facts: SendingFactsQuery,
    private readonly messages: MessageRepository,
  ) {}

  /**
   * Undoes claims whose provider call was never made (too late after their slots, decision 0159):
   * back to `queued`, as before the claim. Only rows still `sending` with no outcome; returns those.
   */
  async release(workspaceId: string, ids: string[]): Promise<Set<string>> {
    return this.messages.releaseClaims(workspaceId, ids);
  }

  async claim(workspaceId: string, candidates: ClaimCandidate[], values: { provider: string; at: () => Date }): Promise<ClaimResult> {
    if (candidates.length === 0) return { claimed: new Set(), changed: new Map(), late: new Set() };
    return this.dataSource.transaction(async (manager) => {
      const contactIds = candidates.filter((c) => c.contactId).map((c) => c.contactId!);
      const phones = candidates.filter((c) => c.phone).map((c) => c.phone!);
      const facts = await this.facts.forSendingLocked(manager, workspaceId, contactIds, phones);
      const once = candidates.filter((c) => c.onceKind && c.contactId);
      const lastOfKind =
        once.length > 0
          ? await this.messages.lockAndLastSystemHandoffs(
              manager,
              workspaceId,
              once.map((c) => c.contactId!),
              [...new Set(once.map((c) => c.onceKind!))],
              once.map((c) => c.id),
            )
          : new Map<string, Date>();
      const changed: ClaimResult['changed'] = new Map();
      const late: ClaimResult['late'] = new Set();
      const unchanged: ClaimCandidate[] = [];
      // Machine time, as the limiter's slots: taken after the lock was granted and the facts read.
      const checkedAt = Date.now();
      for (const candidate of candidates) {
        const consent = { ...NO_CONSENT, ...(candidate.contactId ? facts.states.get(candidate.contactId) : undefined) };
        const suppressed = candidate.phone !== null && facts.suppressed.has(candidate.phone);
        const last = candidate.onceKind ? (lastOfKind.get(`${candidate.contactId}:${candidate.onceKind}`) ?? null) : undefined;
        const same =
          suppressed === candidate.seen.suppressed &&
          (Object.keys(NO_CONSENT) as ConsentMessageType[]).every((t) => consent[t] === candidate.seen.consent[t]) &&
          (last === undefined || (last?.getTime() ?? null) === (candidate.seen.lastOfKind?.getTime() ?? null));
        if (!same) changed.set(candidate.id, { consent, suppressed, lastOfKind: last });
        else if (candidate.claimBy !== undefined && checkedAt > candidate.claimBy) late.add(candidate.id);
        else unchanged.push(candidate);
      }
      const claimed = await this.messages.claimManyForHandoff(workspaceId, unchanged, { provider: values.provider, at: values.at() }, manager);
      return { claimed, changed, late };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { Clock, DomainError, DomainEventBus, invalidField, NotFoundError, ValidationFailedError } from '@optline/core';
import { ConsentGroupPlacement, GroupService } from '@optline/contacts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  actorLabel,
  CONSENT_SOURCES,
  CONSENT_STATES,
  ConsentChange,
  ConsentSource,
  expandTypes,
  LedgerEntryKind,
} from '../consent.types';
import { DisclosureService } from '../disclosures/disclosure.service';
import { ConsentChainHasher, storableEvidence } from './consent-chain';
import { ConsentEvent } from './consent-event.entity';
import { ConsentLedgerRepository } from './consent-ledger.repository';
import { OptOutBarriers, OptOutSubjects } from './opt-out-barriers';
import { SendingLocks } from './sending-locks';

/** A suppression-list change to write into the ledger (its audit trail). */
export interface SuppressionAudit {
  kind: Extract<LedgerEntryKind, 'suppression_added' | 'suppression_removed'>;
  phone: string | null;
  phoneHash: string;
  reason: string;
  actor: string;
  source: ConsentSource;
  evidence?: Record<string, unknown>;
}

/** Sources whose opt-ins record the current disclosure when the caller names none. */
const DISCLOSED_SOURCES = new Set<ConsentSource>(['web_form', 'sms_keyword']);

/**
 * Appends to the consent ledger (law 5): one entry per message type, chained by hash, with the
 * state projection and the Opted-In/Opted-Out groups updated in the same transaction. Appends of
 * one workspace are serialised by an advisory lock, so the chain has no forks whatever the
 * concurrency. Under it each change also locks its people's sending locks, which the send
 * gateway's claims take shared (SendingLocks, decisions 0145 and 0266); an opt-out lets the
 * hand-offs already in flight to its people finish before it takes the locks, and checks again
 * under them before it commits (OptOutBarriers, decisions 0149 and 0157).
 */
@Injectable()
export class ConsentLedgerService {
  constructor(
    private readonly ledger: ConsentLedgerRepository,
    private readonly hasher: ConsentChainHasher,
    private readonly disclosures: DisclosureService,
    private readonly groups: GroupService,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
    private readonly barriers: OptOutBarriers,
    private readonly locks: SendingLocks,
  ) {}

  /** Records one change; publishes 'consent.changed' per entry after the commit. */
  async record(workspaceId: string, change: ConsentChange): Promise<ConsentEvent[]> {
    return this.recordMany(workspaceId, [change]);
  }

  /**
   * Records many changes under one lock and one transaction (imports, bulk webhooks). With a
   * `manager` the caller owns the transaction and must call `publish` after committing.
   */
  async recordMany(workspaceId: string, changes: ConsentChange[], manager?: EntityManager): Promise<ConsentEvent[]> {
    changes.forEach((change, i) => validateChange(change, changes.length > 1 ? `[${i}].` : ''));
    if (changes.length === 0) return [];
    const optingOut = [...new Set(changes.filter((c) => c.state === 'opted_out').map((c) => c.contactId))];
    // The wait for hand-offs in flight comes before the lock (0157); a caller's transaction did it itself (prepareOptOut).
    if (!manager) await this.prepareOptOut(workspaceId, optingOut);
    const entries = await this.ledger.inTransaction(manager, async (tx) => {
      const contactIds = [...new Set(changes.map((c) => c.contactId))];
      await this.ledger.lockChain(workspaceId, tx);
      // No claim to these people from here to the commit; claims to anyone else go on (0266).
      await this.locks.forWriter(tx, workspaceId, { contactIds, phoneHashes: [] });
      const contacts = await this.ledger.contactIdentities(workspaceId, contactIds, tx);
      for (const change of changes) {
        const contact = contacts.get(change.contactId);
        if (!contact) throw new NotFoundError('Contact', change.contactId);
        if (contact.erasedAt) throw new DomainError('gone', 'contact_erased', `Contact ${change.contactId} was erased; its consent can no longer change`);
      }
      const defaultDisclosure = await this.defaultDisclosure(workspaceId, changes, tx);
      const recordedAt = this.clock.now();
      const drafts = changes.flatMap((change) => {
        const contact = contacts.get(change.contactId)!;
        return expandTypes(change.types).map((messageType) =>
          Object.assign(new ConsentEvent(), {
            workspaceId,
            kind: 'consent' as const,
            contactId: contact.id,
            phone: contact.phone,
            phoneHash: contact.phoneHash,
            messageType,
            state: change.state,
            source: change.source,
            evidence: storableEvidence(change.evidence),
            disclosureId: change.disclosureId === undefined && needsDisclosure(change) ? defaultDisclosure : (change.disclosureId ?? null),
            flowId: change.flowId ?? null,
            campaignId: change.campaignId ?? null,
            actor: actorLabel(change.actor),
            occurredAt: change.occurredAt ?? recordedAt,
            recordedAt,
          }),
        );
      });
      const appended = await this.append(workspaceId, drafts, tx);
      await this.ledger.project(workspaceId, latestPerContactAndType(appended), tx);
      await this.placeInGroups(workspaceId, [...contacts.keys()], tx);
      await this.barriers.settle(workspaceId, { contactIds: optingOut, phoneHashes: [] }, tx);
      return appended;
    });
    if (!manager) await this.publish(entries);
    return entries;
  }

  /**
   * Before an opt-out of these contacts locks the chain: waits (at most 1 s, holding no lock and
   * no transaction) for the hand-offs to them already in flight. `recordMany` calls it; a caller
   * that records an opt-out in its own transaction calls it before opening that transaction.
   */
  async prepareOptOut(workspaceId: string, contactIds: string[]): Promise<void> {
    await this.barriers.prepare(workspaceId, { contactIds, phoneHashes: [] });
  }

  /** Writes suppression-list changes into the chain (inside the caller's transaction). */
  async appendSuppressionAudit(workspaceId: string, audits: SuppressionAudit[], manager: EntityManager): Promise<ConsentEvent[]> {
    if (audits.length === 0) return [];
    await this.ledger.lockChain(workspaceId, manager);
    const contactIds = await this.ledger.contactIdsByPhoneHash(workspaceId, [...new Set(audits.map((a) => a.phoneHash))], manager);
    const at = this.clock.now();
    const drafts = audits.map((audit) =>
      Object.assign(new ConsentEvent(), {
        workspaceId,
        kind: audit.kind,
        contactId: contactIds.get(audit.phoneHash) ?? null,
        phone: audit.phone,
        phoneHash: audit.phoneHash,
        messageType: null,
        state: null,
        source: audit.source,
        evidence: storableEvidence({ reason: audit.reason, ...audit.evidence }),
        disclosureId: null,
        flowId: null,
        campaignId: null,
        actor: audit.actor,
        occurredAt: at,
        recordedAt: at,
      }),
    );
    return this.append(workspaceId, drafts, manager);
  }

  /**
   * Takes the workspace's chain lock in the caller's transaction (writers that touch the ledger
   * later in it take it first), and the sending locks of what it will change: the numbers it
   * suppresses, or 'all' when it changes many or does not know whom yet (no hand-off claim in the
   * workspace until it commits). A change that only lets more through (a removal) names none.
   */
  async lockChainFor(workspaceId: string, manager: EntityManager, changing: OptOutSubjects | 'all'): Promise<void> {
    await this.ledger.lockChain(workspaceId, manager);
    if (changing === 'all') await this.locks.forBulkWriter(manager, workspaceId);
    else await this.locks.forWriter(manager, workspaceId, changing);
  }

  /** Erasure: every entry of this number stays, without the phone. */
  async blankPhone(workspaceId: string, phoneHash: string, manager: EntityManager): Promise<void> {
    await this.ledger.blankPhone(workspaceId, phoneHash, manager);
  }

  /** Tells other libraries (plugin write-back, flows) about committed consent entries. */
  async publish(entries: ConsentEvent[]): Promise<void> {
    for (const entry of entries) {
      if (entry.kind !== 'consent') continue;
      await this.events.publish('consent.changed', {
        workspaceId: entry.workspaceId,
        contactId: entry.contactId!,
        consentEventId: entry.id,
        messageType: entry.messageType!,
        state: entry.state!,
        source: entry.source,
      });
    }
  }

  /** Chains drafts after the current head and inserts them (the chain must be locked). */
  private async append(workspaceId: string, drafts: ConsentEvent[], manager: EntityManager): Promise<ConsentEvent[]> {
    const head = await this.ledger.head(workspaceId, manager);
    let seq = head.seq;
    let prevHash = head.hash;
    for (const entry of drafts) {
      seq += 1n;
      entry.id = randomUUID();
      entry.seq = seq.toString();
      entry.prevHash = prevHash;
      entry.hash = this.hasher.hash(entry, prevHash);
      prevHash = entry.hash;
    }
    await this.ledger.insertEntries(drafts, manager);
    return drafts;
  }

  private async defaultDisclosure(workspaceId: string, changes: ConsentChange[], manager: EntityManager): Promise<string | null> {
    const named = [...new Set(changes.map((c) => c.disclosureId).filter((id): id is string => typeof id === 'string'))];
    const unknown = await this.disclosures.unknownIds(workspaceId, named, manager);
    if (unknown.length > 0) throw invalidField('disclosureId', `disclosure ${unknown[0]} was not found in this workspace`, 'disclosure_not_found');
    if (!changes.some((c) => c.disclosureId === undefined && needsDisclosure(c))) return null;
    return (await this.disclosures.current(workspaceId, manager))?.id ?? null;
  }

  /** Opted-In: any type opted in; Opted-Out: none opted in and one opted out (decision 0023). */
  private async placeInGroups(workspaceId: string, contactIds: string[], manager: EntityManager): Promise<void> {
    const summaries = await this.ledger.summaries(workspaceId, contactIds, manager);
    const placement: ConsentGroupPlacement[] = contactIds.map((contactId) => {
      const summary = summaries.get(contactId);
      return { contactId, group: summary?.anyIn ? 'opted_in' : summary?.anyOut ? 'opted_out' : null };
    });
    await this.groups.placeByConsent(workspaceId, placement, manager);
  }
}

function needsDisclosure(change: ConsentChange): boolean {
  return (change.state === 'opted_in' || change.state === 'pending') && DISCLOSED_SOURCES.has(change.source);
}

/** The entry per (contact, type) that decides the projection: the latest act, then the latest appended. */
function latestPerContactAndType(entries: ConsentEvent[]): ConsentEvent[] {
  const winners = new Map<string, ConsentEvent>();
  for (const entry of entries) {
    const key = `${entry.contactId}:${entry.messageType}`;
    const prior = winners.get(key);
    if (!prior || entry.occurredAt.getTime() >= prior.occurredAt.getTime()) winners.set(key, entry);
  }
  return [...winners.values()];
}

function validateChange(change: ConsentChange, prefix: string): void {
  const details: { field: string; message: string }[] = [];
  if (change.types !== 'all' && (!Array.isArray(change.types) || change.types.length === 0 || expandTypes(change.types).length !== change.types.length)) {
    details.push({ field: `${prefix}types`, message: "types must be 'all' or a non-empty list of marketing, transactional, conversational" });
  }
  if (!CONSENT_STATES.includes(change.state)) details.push({ field: `${prefix}state`, message: `state must be one of ${CONSENT_STATES.join(', ')}` });
  if (!CONSENT_SOURCES.includes(change.source)) details.push({ field: `${prefix}source`, message: `source must be one of ${CONSENT_SOURCES.join(', ')}` });
  if (change.occurredAt !== undefined && !(change.occurredAt instanceof Date && !Number.isNaN(change.occurredAt.getTime()))) {
    details.push({ field: `${prefix}occurredAt`, message: 'occurredAt must be a valid date' });
  }
  if (details.length > 0) throw new ValidationFailedError(details);
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConsentChange, ConsentMessageType, ConsentState, ConsentStates } from './consent.types';
import { ConsentEvent } from './ledger/consent-event.entity';
import { ConsentLedgerService } from './ledger/consent-ledger.service';
import { ConsentQueryService } from './ledger/consent-query.service';

/** The consent facade other libraries use: record changes, read states. */
@Injectable()
export class ConsentService {
  constructor(
    private readonly ledger: ConsentLedgerService,
    private readonly query: ConsentQueryService,
  ) {}

  /**
   * Appends one ledger entry per type (hash-chained), updates the state projection and the
   * Opted-In/Opted-Out groups in the same transaction, and publishes 'consent.changed' after
   * the commit. 404 for an unknown contact, 410 for an erased one, 422 naming a bad field.
   */
  async record(workspaceId: string, change: ConsentChange): Promise<ConsentEvent[]> {
    return this.ledger.record(workspaceId, change);
  }

  /**
   * Batch form of `record`: one lock, one transaction, one insert. With a `manager` the entries
   * join the caller's transaction (so the caller can store, in the same commit, that it recorded
   * them) and the caller calls `publish` after its commit.
   */
  async recordMany(workspaceId: string, changes: ConsentChange[], manager?: EntityManager): Promise<ConsentEvent[]> {
    return this.ledger.recordMany(workspaceId, changes, manager);
  }

  /**
   * Call before a transaction of your own in which `recordMany` records an opt-out of these
   * contacts: lets the hand-offs to them already in flight end (at most 1 s) before the chain
   * lock is taken, so the lock is held only for the ledger write (decision 0157).
   */
  async prepareOptOut(workspaceId: string, contactIds: string[]): Promise<void> {
    await this.ledger.prepareOptOut(workspaceId, contactIds);
  }

  /** Publishes 'consent.changed' for entries recorded in a caller's transaction, once it committed. */
  async publish(entries: ConsentEvent[]): Promise<void> {
    await this.ledger.publish(entries);
  }

  /** One query for any number of contacts; a contact with nothing recorded is 'none' for every type. */
  async statesFor(workspaceId: string, contactIds: string[]): Promise<Map<string, ConsentStates>> {
    return this.query.statesFor(workspaceId, contactIds);
  }

  async stateOf(workspaceId: string, contactId: string, type: ConsentMessageType): Promise<ConsentState> {
    return this.query.stateOf(workspaceId, contactId, type);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Message } from './message.entity';

/** Arbitrary constant: the class of the advisory locks taken per (workspace, contact). */
const CONTACT_DECISION_LOCK_CLASS = 16_202;

/**
 * Locked decisions one process runs at once. Each holds a pooled connection for its lock while
 * its own queries use others, so this stays well below the smallest pool (5).
 */
const MAX_LOCKED_DECISIONS = 2;

/** The messages whose rule is "one per person per period" and so must not be decided side by side. */
export function needsContactLock(message: Message): boolean {
  return message.contactId !== null && message.type === 'system' && message.origin?.systemKind === 'opt_in_request';
}

/**
 * Serialises the send decisions about one person, from reading the policy context through the
 * claim (decision 0160): two opt-in requests decided at the same moment — a coalesced batch and
 * an inline dispatch — would both read a history without the other and both be handed off.
 * A transaction-scoped advisory lock per (workspace, contact), taken in key order so two rounds
 * never wait on each other crosswise; the claim commits on its own connection before the lock
 * is let go, so the next decision's history includes it. Only opt-in requests take it.
 */
@Injectable()
export class ContactDecisionLock {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async around<T>(workspaceId: string, contactIds: string[], work: () => Promise<T>): Promise<T> {
    if (contactIds.length === 0) return work();
    await this.slot();
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      await runner.query(
        `SELECT count(pg_advisory_xact_lock($1, k)) FROM (SELECT DISTINCT hashtext(x) AS k FROM unnest($2::text[]) AS x ORDER BY 1) AS keys`,
        [CONTACT_DECISION_LOCK_CLASS, contactIds.map((id) => `${workspaceId}:${id}`)],
      );
      return await work();
    } finally {
      // Nothing was written on this connection: ending the transaction only lets the locks go.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.inFlight < MAX_LOCKED_DECISIONS) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

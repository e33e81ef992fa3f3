import { ConsentChange, ConsentEvent, ConsentService } from '@optline/consent';
import { BatchCoalescer, BatchOutcome, settleEach } from '@optline/core';
import type { DataSource } from 'typeorm';
import type { PreparedMessage, SendGateway } from '../gateway/send-gateway.service';
import type { Message } from '../message/message.entity';
import { MessageRepository, NewMessage } from '../message/message.repository';

/** STOPs of one workspace stored in one transaction at most (a burst of them in one webhook wave). */
const MAX_STOPS_PER_COMMIT = 200;

/**
 * A STOP stored now: the text as stored, the ledger entries its opt-out made (to announce as
 * `consent.changed`), and its confirmation when one was stored with it (enqueued once committed).
 * Null for a text that already was stored (a retry).
 */
export type StoredStop = {
  message: Message;
  entries: ConsentEvent[];
  confirmation: { prepared: PreparedMessage; message: Message } | null;
} | null;

/** What a batch's transaction stored of one STOP. */
interface Committed {
  messageId: string;
  entries: ConsentEvent[];
  confirmation: PreparedMessage | null;
}

export interface StopToStore {
  row: NewMessage;
  /** The opt-out this text makes (every type, the text as evidence). */
  optOut: ConsentChange;
  /** Its confirmation (null when the STOP changes nothing), stored only with a new text (decision 0268). */
  confirmation: PreparedMessage | null;
}

/**
 * Stores inbound STOPs with their opt-outs and confirmations — each text, its opt-out and its
 * confirmation in the same transaction (decisions 0158, 0268) — and many STOPs of one workspace in
 * one transaction (the same record): the workspace's consent chain lock serialises every opt-out,
 * so while one commit holds it the STOPs that arrive meanwhile gather and go in the next commit — one lock, one chain append, one
 * connection for a whole burst, where one commit each kept a burst of 200 STOPs queued for
 * seconds behind each other. A commit that fails is tried again one STOP at a time, so one bad
 * STOP (a contact erased meanwhile) fails alone. Each STOP's entries go back to its caller, who
 * announces them: announcing a whole batch's before answering any of its webhooks kept every STOP
 * of the batch waiting for every listener of every entry.
 */
export class StopRecorder {
  private readonly perWorkspace = new Map<string, BatchCoalescer<StopToStore, StoredStop>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly consent: ConsentService,
    private readonly gateway: SendGateway,
  ) {}

  /** The STOP as stored now (with its opt-out, and its confirmation enqueued); null when it already was (a retry). */
  async store(workspaceId: string, stop: StopToStore): Promise<StoredStop> {
    let commits = this.perWorkspace.get(workspaceId);
    if (!commits) {
      commits = new BatchCoalescer<StopToStore, StoredStop>((stops) => this.commitOrEach(workspaceId, stops), { maxBatch: MAX_STOPS_PER_COMMIT, maxWaitMs: 0, maxConcurrent: 1 });
      this.perWorkspace.set(workspaceId, commits);
    }
    const stored = await commits.submit(stop);
    // Its send job once committed; a crash before this leaves it queued for the reconciler.
    if (stored?.confirmation) await this.gateway.enqueuePrepared(stored.confirmation.prepared);
    return stored;
  }

  private async commitOrEach(workspaceId: string, stops: StopToStore[]): Promise<BatchOutcome<StoredStop>[]> {
    // Hand-offs to these people already in flight end first, without holding the chain lock
    // (0157): one wait for the batch rather than one query per STOP before it.
    await this.consent.prepareOptOut(workspaceId, [...new Set(stops.map((s) => s.optOut.contactId))]);
    try {
      const committed = await this.readBack(workspaceId, await this.commit(workspaceId, stops));
      return stops.map((s) => ({ ok: true, value: committed.get(s.row.id) ?? null }));
    } catch (error) {
      if (stops.length === 1) throw error;
      return settleEach(stops, async (s) => (await this.readBack(workspaceId, await this.commit(workspaceId, [s]))).get(s.row.id) ?? null);
    }
  }

  /** The batch's stored texts and confirmations as rows, in one read. */
  private async readBack(workspaceId: string, committed: Map<string, Committed>): Promise<Map<string, StoredStop>> {
    const ids = [...committed.values()].flatMap((c) => (c.confirmation ? [c.messageId, c.confirmation.row.id] : [c.messageId]));
    const rows = new Map((await this.messages.getMany(workspaceId, ids)).map((m) => [m.id, m]));
    return new Map(
      [...committed].map(([id, c]) => [
        id,
        { message: rows.get(c.messageId)!, entries: c.entries, confirmation: c.confirmation ? { prepared: c.confirmation, message: rows.get(c.confirmation.row.id)! } : null },
      ]),
    );
  }

  /** The STOPs stored now, by message id, each with its own opt-out's entries. */
  private async commit(workspaceId: string, stops: StopToStore[]): Promise<Map<string, Committed>> {
    return this.dataSource.transaction(async (manager) => {
      // A retry of a text stored meanwhile (same idempotency key) is not stored again, and its
      // opt-out is already in the ledger; one still being stored makes this wait for its commit.
      const inserted = await this.messages.insertNew(
        stops.map((s) => s.row),
        [],
        manager,
      );
      const fresh = stops.filter((s) => inserted.has(s.row.id));
      // A retry's text is not new, and neither is its confirmation: only a new text's goes in.
      const confirmations = fresh.flatMap((s) => (s.confirmation ? [s.confirmation] : []));
      await this.messages.insertNew(
        confirmations.map((c) => c.row),
        confirmations.flatMap((c) => c.links),
        manager,
      );
      const entries = fresh.length > 0 ? await this.consent.recordMany(workspaceId, fresh.map((s) => s.optOut), manager) : [];
      // Two STOPs of one person in a batch: the first announces the person's entries, the second none.
      const byContact = new Map<string, ConsentEvent[]>();
      for (const entry of entries) {
        const own = byContact.get(entry.contactId!);
        if (own) own.push(entry);
        else byContact.set(entry.contactId!, [entry]);
      }
      return new Map(
        fresh.map((s) => {
          const own = byContact.get(s.optOut.contactId) ?? [];
          byContact.delete(s.optOut.contactId);
          return [s.row.id, { messageId: s.row.id, entries: own, confirmation: s.confirmation }];
        }),
      );
    });
  }
}

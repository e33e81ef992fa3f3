import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BatchCoalescer, BatchOutcome, Clock, JobPayloads, JobQueue, MAX_BATCH_JOB_IDS, settleEach, Tracing, ValidationFailedError } from '@optline/core';
import type { CanonicalEvent } from '../contract/canonical-events';
import { checkCanonicalEvents } from './canonical-event.validation';
import { TriggerEvent } from './trigger-event.entity';
import { eventSourceKey, NewTriggerEvent, TriggerEventRepository } from './trigger-event.repository';

export interface StoreResult {
  stored: TriggerEvent[];
  duplicates: number;
}

/** The events one storeMany call brings to a group commit. */
interface PendingStore {
  workspaceId: string;
  rows: NewTriggerEvent[];
}

/** The plugin id the hub's own scheduled events carry. */
export const HUB_SOURCE = 'hub';

/**
 * Stores canonical events exactly once per dedupe key and queues their dispatch. Everything that
 * enters the hub as an event (webhooks, hosted forms, scheduled events) goes through here.
 */
/** How much of an unreadable body is kept for the operator to look at. */
const UNPARSABLE_EXCERPT_BYTES = 2048;

@Injectable()
export class TriggerEventStore {
  private readonly logger = new Logger(TriggerEventStore.name);
  /**
   * Group commit: the calls that arrive in the same turn of the event loop (50 webhooks in flight
   * answer their verify/parse steps together) share one INSERT and one bulk enqueue, each caller
   * still resolving only after the statement holding its rows committed.
   */
  private readonly commits = new BatchCoalescer<PendingStore, Map<string, string>>((batch) => this.insertBatch(batch), { maxBatch: 200, maxWaitMs: 0 });

  constructor(
    private readonly events: TriggerEventRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly tracing: Tracing,
  ) {}

  /**
   * Inserts the events in one statement (duplicates skipped) — shared with concurrent callers —
   * then enqueues 'event.dispatch' for the new ones. Resolves only once the rows are committed,
   * so a 200 after it is safe.
   * @param installationId null for events the hub emits itself (`pluginId` = 'hub').
   */
  async storeMany(workspaceId: string, installationId: string | null, pluginId: string, events: CanonicalEvent[]): Promise<StoreResult> {
    const problems = checkCanonicalEvents(events);
    if (problems.length > 0) throw new ValidationFailedError(problems, 'unprocessable', 'invalid_event');
    const receivedAt = this.clock.now();
    // Taken here, per caller: the group commit's statement runs in whichever caller's context.
    const traceContext = this.tracing.current();
    const rows: NewTriggerEvent[] = events.map((event) => ({
      workspaceId,
      installationId,
      pluginId,
      type: event.type,
      dedupeKey: event.dedupeKey,
      occurredAt: event.occurredAt,
      correlation: event.correlation,
      payload: event.data,
      contactHint: event.contact ?? null,
      consentHint: event.consent ?? null,
      receivedAt,
      traceContext,
    }));
    const inserted = rows.length > 0 ? await this.commits.submit({ workspaceId, rows }) : new Map<string, string>();
    const stored: TriggerEvent[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const id = inserted.get(row.dedupeKey);
      if (!id || seen.has(id)) continue;
      seen.add(id);
      stored.push(Object.assign(new TriggerEvent(), row, { id, contactId: null, status: 'received', outcome: {}, replayCount: 0, processedAt: null }));
    }
    const duplicates = events.length - stored.length;
    if (duplicates > 0) await this.rearmUndispatched(workspaceId, installationId, pluginId, events, inserted);
    return { stored, duplicates };
  }

  /**
   * Keeps a delivery whose body could not be read as a `failed` event (type `webhook.unparsable`),
   * never dispatched: the parse error, the content type, the size and the first bytes as text, so
   * an operator sees what came and the sender can be told. The same bytes again are the same row.
   */
  async storeUnparsable(workspaceId: string, installationId: string, pluginId: string, rawBody: Buffer, contentType: string | undefined, error: string): Promise<string | null> {
    const text = rawBody.subarray(0, UNPARSABLE_EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD'); // Postgres jsonb cannot hold NUL
    return this.events.insertFailed({
      workspaceId,
      installationId,
      pluginId,
      dedupeKey: `unparsable:${createHash('sha256').update(rawBody).digest('hex')}`,
      receivedAt: this.clock.now(),
      payload: { error, contentType: contentType ?? null, bytes: rawBody.length, excerpt: text },
      error,
    });
  }

  /**
   * One group commit: every caller's rows in one INSERT, then one enqueue for all new rows. Each
   * caller gets its own rows' ids by dedupe key; a row two callers both carried (the same
   * delivery twice at once) counts as stored for the first only, a duplicate for the other. If
   * the statement fails, each caller is retried alone, so one bad row fails only its own request.
   */
  private async insertBatch(batch: PendingStore[]): Promise<BatchOutcome<Map<string, string>>[]> {
    let inserted: Map<string, string>;
    try {
      inserted = await this.events.insertNew(batch.flatMap((p) => p.rows));
    } catch (error) {
      if (batch.length === 1) throw error;
      return settleEach(batch, async (p) => {
        const [outcome] = await this.insertBatch([p]);
        if (!outcome.ok) throw outcome.error;
        return outcome.value;
      });
    }
    const fresh: { workspaceId: string; id: string }[] = [];
    const outcomes = batch.map((p) => {
      const ids = new Map<string, string>();
      for (const row of p.rows) {
        const key = eventSourceKey(row);
        const id = inserted.get(key);
        if (!id) continue;
        inserted.delete(key);
        ids.set(row.dedupeKey, id);
        fresh.push({ workspaceId: p.workspaceId, id });
      }
      return { ok: true as const, value: ids };
    });
    await this.enqueue(fresh);
    return outcomes;
  }

  /**
   * A redelivered event whose first dispatch never ran (Redis lost the job between our insert
   * and its enqueue) gets its job again; Bull ignores the enqueue when the job still exists.
   */
  private async rearmUndispatched(
    workspaceId: string,
    installationId: string | null,
    pluginId: string,
    events: CanonicalEvent[],
    inserted: Map<string, string>,
  ): Promise<void> {
    const keys = [...new Set(events.map((e) => e.dedupeKey).filter((k) => !inserted.has(k)))];
    const existing = await this.events.findByDedupeKeys(workspaceId, installationId, pluginId, keys);
    await this.enqueue(existing.filter((e) => e.status === 'received').map((e) => ({ workspaceId, id: e.id })));
  }

  /**
   * One job per event when it came alone; the events of one group commit (a burst) share
   * `event.dispatch-batch` jobs of up to MAX_BATCH_JOB_IDS per workspace, so a burst costs the
   * queue a job, not a job per event.
   */
  private async enqueue(events: { workspaceId: string; id: string }[]): Promise<void> {
    const byWorkspace = new Map<string, string[]>();
    for (const e of events) byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e.id]);
    const singles: JobPayloads['event.dispatch'][] = [];
    const batches: JobPayloads['event.dispatch-batch'][] = [];
    for (const [workspaceId, ids] of byWorkspace) {
      if (ids.length === 1) singles.push({ workspaceId, triggerEventId: ids[0] });
      else for (let i = 0; i < ids.length; i += MAX_BATCH_JOB_IDS) batches.push({ workspaceId, triggerEventIds: ids.slice(i, i + MAX_BATCH_JOB_IDS) });
    }
    try {
      await Promise.all([this.jobs.enqueueMany('event.dispatch', singles), this.jobs.enqueueMany('event.dispatch-batch', batches)]);
    } catch (error) {
      // The rows are committed: the sender gets its 200, and the event is re-armed by a
      // redelivery or by `rearmStale` once Redis is back.
      this.logger.error({ err: error, count: events.length }, 'could not enqueue event dispatch; events stay "received"');
    }
  }

  /** Re-enqueues events stuck in 'received' for longer than `olderThanMs` (for a periodic reconciler). */
  async rearmStale(olderThanMs: number, limit = 1000): Promise<number> {
    const stale = await this.events.stillReceived(new Date(this.clock.nowMs() - olderThanMs), limit);
    await this.enqueue(stale.map((e) => ({ workspaceId: e.workspaceId, id: e.id })));
    return stale.length;
  }
}

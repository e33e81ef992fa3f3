import { Injectable, Logger } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import { BatchOutcome, Clock, Metrics, settleEach, StartedSpan, Tracing } from '@optline/core';
import { TriggerEvent, TriggerEventOutcome, TriggerEventStatus } from '../events/trigger-event.entity';
import { TriggerEventConsumer, TriggerEventConsumers } from '../events/trigger-event-consumers';
import { TriggerEventRepository } from '../events/trigger-event.repository';
import { byRound, DispatchKeys, planRounds } from './dispatch-rounds';
import { EventConsentApplier } from './event-consent.applier';
import { EventContactResolver } from './event-contact.resolver';

/** Thrown so Bull retries the job; the consumers that failed are named in the outcome. */
export class ConsumerFailedError extends Error {
  override name = 'ConsumerFailedError';
}

/** One 'event.dispatch' job's ask. */
export interface DispatchItem {
  workspaceId: string;
  triggerEventId: string;
  /** When true a failing consumer marks the event 'failed' instead of throwing for a retry. */
  finalAttempt: boolean;
}

/** An event of a batch being dispatched, with what its steps did so far. */
interface Work {
  index: number;
  item: DispatchItem;
  event: TriggerEvent;
  outcome: TriggerEventOutcome;
  contact: Contact | null;
  /** The contact step is still to do (false on a retry that already did it). */
  fresh: boolean;
  consumed: Record<string, Record<string, unknown>>;
  errors: Record<string, string>;
  /** Set when a step failed for this event outside the consumers: the job throws it. */
  failure?: unknown;
}

/**
 * The work of 'event.dispatch' jobs, for one event or many at once: upsert the contact each
 * event is about, apply its consent statement, then hand it to each registered consumer (flows)
 * and keep what they did. Each step's result is stored in the event's outcome, so a retry does
 * not redo a step that already took effect (a consent entry is never appended twice).
 *
 * A batch costs a few statements per step, not per event: events that share a contact or a
 * correlation value are split into successive rounds (decision 0117), so the result is the one
 * handling them one after another would give.
 */
@Injectable()
export class EventDispatchService {
  private readonly logger = new Logger(EventDispatchService.name);

  constructor(
    private readonly events: TriggerEventRepository,
    private readonly contacts: EventContactResolver,
    private readonly consent: EventConsentApplier,
    private readonly consumers: TriggerEventConsumers,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly tracing: Tracing,
  ) {}

  /**
   * @param finalAttempt when true a failing consumer marks the event 'failed' instead of throwing for a retry.
   * @returns the event's status afterwards, or null when the event no longer exists.
   */
  async dispatch(workspaceId: string, triggerEventId: string, finalAttempt: boolean): Promise<TriggerEventStatus | null> {
    const [result] = await this.dispatchMany([{ workspaceId, triggerEventId, finalAttempt }]);
    if (!result.ok) throw result.error;
    return result.value;
  }

  /** Dispatches many events (any workspaces); answers each item's status (null: gone) or its own error. */
  async dispatchMany(items: DispatchItem[]): Promise<BatchOutcome<TriggerEventStatus | null>[]> {
    const results: BatchOutcome<TriggerEventStatus | null>[] = new Array(items.length);
    const byWorkspace = new Map<string, number[]>();
    items.forEach((item, i) => byWorkspace.set(item.workspaceId, [...(byWorkspace.get(item.workspaceId) ?? []), i]));
    for (const [workspaceId, indexes] of byWorkspace) {
      try {
        await this.dispatchWorkspace(workspaceId, indexes, items, results);
      } catch (error) {
        for (const i of indexes) results[i] ??= { ok: false, error };
      }
    }
    return results;
  }

  /** Marks an event whose job gave up for a reason outside the consumers (e.g. the database was down). */
  async markFailed(workspaceId: string, triggerEventId: string, reason: string): Promise<void> {
    const event = await this.events.findById(workspaceId, triggerEventId);
    if (!event || event.status !== 'received') return;
    const now = this.clock.now();
    await this.events.update(workspaceId, triggerEventId, {
      status: 'failed',
      outcome: { ...event.outcome, errors: { ...event.outcome.errors, dispatch: reason } },
      processedAt: now,
    });
    this.observeDispatched(event, 'failed', now);
  }

  private async dispatchWorkspace(workspaceId: string, indexes: number[], items: DispatchItem[], results: BatchOutcome<TriggerEventStatus | null>[]): Promise<void> {
    const events = new Map((await this.events.findByIds(workspaceId, indexes.map((i) => items[i].triggerEventId))).map((e) => [e.id, e]));
    const work: Work[] = [];
    const firstIndex = new Map<string, number>();
    for (const index of indexes) {
      const item = items[index];
      const event = events.get(item.triggerEventId);
      if (!event) results[index] = { ok: true, value: null };
      // A job delivered twice (a stalled worker) finds the event already handled.
      else if (event.status !== 'received') results[index] = { ok: true, value: event.status };
      // The same event twice in one batch: the second finds what the first did.
      else if (firstIndex.has(event.id)) continue;
      else {
        firstIndex.set(event.id, index);
        const outcome: TriggerEventOutcome = { ...event.outcome };
        work.push({ index, item, event, outcome, contact: null, fresh: !outcome.contact, consumed: { ...(outcome.consumers ?? {}) }, errors: {} });
      }
    }
    if (work.length > 0) {
      const spans = this.startSpans(work);
      try {
        const rounds = planRounds(await this.orderingKeys(workspaceId, work));
        for (const round of byRound(work, rounds)) await this.runRound(workspaceId, round);
        await this.finish(workspaceId, work, results);
      } finally {
        for (const [w, span] of spans) {
          const result = results[w.index];
          if (result?.ok) span.setAttributes({ 'optline.event_status': result.value ?? 'gone', 'optline.contact_id': w.event.contactId ?? undefined });
          span.end(result && !result.ok ? result.error : undefined);
        }
      }
    }
    for (const index of indexes) {
      if (results[index]) continue;
      const first = firstIndex.get(items[index].triggerEventId);
      results[index] = first !== undefined ? results[first] : { ok: false, error: new Error('event was not dispatched') };
    }
  }

  /**
   * One span per event (tracing on), continuing the trace its request started; the consumers see
   * the dispatch span's traceparent on the event, so the runs it starts continue from here.
   */
  private startSpans(work: Work[]): Map<Work, StartedSpan> {
    const spans = new Map<Work, StartedSpan>();
    if (!this.tracing.enabled) return spans;
    for (const w of work) {
      const span = this.tracing.start('event.dispatch', {
        parent: w.event.traceContext,
        attributes: { 'optline.event_id': w.event.id, 'optline.event_type': w.event.type, 'optline.plugin': w.event.pluginId, 'optline.workspace_id': w.event.workspaceId },
      });
      if (!span) continue;
      spans.set(w, span);
      w.event.traceContext = span.traceparent;
    }
    return spans;
  }

  /** What each event shares with others: its contact's phone and its correlation values. */
  private async orderingKeys(workspaceId: string, work: Work[]): Promise<DispatchKeys[]> {
    const fresh = work.filter((w) => w.fresh);
    const identities = await this.contacts.identityKeys(workspaceId, fresh.map((w) => w.event.contactHint));
    const freshKeys = new Map(fresh.map((w, i) => [w, identities[i]]));
    const known = await this.contacts.known(workspaceId, work.flatMap((w) => (!w.fresh && w.event.contactId ? [w.event.contactId] : [])));
    return work.map((w) => {
      let keys: DispatchKeys;
      if (w.fresh) keys = freshKeys.get(w)!;
      else {
        w.contact = w.event.contactId ? (known.get(w.event.contactId) ?? null) : null;
        keys = w.contact ? [w.contact.phone ? `phone:${w.contact.phone}` : `contact:${w.contact.id}`] : [];
      }
      if (keys === 'alone') return keys;
      return [...keys, ...Object.values(w.event.correlation ?? {}).filter(Boolean).map((value) => `correlation:${value}`)];
    });
  }

  /** One round: events that share nothing, so each step runs for all of them at once. */
  private async runRound(workspaceId: string, round: Work[]): Promise<void> {
    const fresh = round.filter((w) => w.fresh);
    const resolved = await this.contacts.resolveMany(workspaceId, fresh.map((w) => w.event.contactHint));
    fresh.forEach((w, i) => {
      const r = resolved[i];
      if (!r.ok) return void (w.failure = r.error);
      w.contact = r.value.contact;
      w.outcome.contact = r.value.outcome;
      w.event.contactId = r.value.contact?.id ?? null;
    });
    const toRecord = fresh.filter((w) => !w.failure);
    const recorded = await this.consent.applyMany(workspaceId, toRecord);
    toRecord.forEach((w, i) => {
      const r = recorded[i];
      if (!r.ok) w.failure = r.error;
    });
    for (const consumer of this.consumers.list()) {
      const pending = round.filter((w) => !w.failure && !(consumer.name in w.consumed));
      const answers = await this.consume(consumer, pending);
      pending.forEach((w, i) => {
        const answer = answers[i];
        if (answer.ok) w.consumed[consumer.name] = answer.value;
        else {
          w.errors[consumer.name] = answer.error instanceof Error ? answer.error.message : String(answer.error);
          this.logger.warn({ err: answer.error, consumer: consumer.name, triggerEventId: w.event.id }, 'trigger-event consumer failed');
        }
      });
    }
  }

  /** The consumer's batch form when it has one; per event when it has not, or when the batch call itself failed. */
  private async consume(consumer: TriggerEventConsumer, pending: Work[]): Promise<BatchOutcome<Record<string, unknown>>[]> {
    if (pending.length === 0) return [];
    if (consumer.consumeMany) {
      try {
        const answers = await consumer.consumeMany(pending.map((w) => ({ event: w.event, contact: w.contact })));
        if (answers.length === pending.length) return answers;
        this.logger.error({ consumer: consumer.name }, 'consumeMany answered a different number of outcomes than events; retrying one by one');
      } catch (error) {
        this.logger.warn({ err: error, consumer: consumer.name, events: pending.length }, 'consumeMany failed; retrying one by one');
      }
    }
    return settleEach(pending, (w) => consumer.consume(w.event, w.contact));
  }

  /** Stores every event's outcome and status in one statement and answers each job. */
  private async finish(workspaceId: string, work: Work[], results: BatchOutcome<TriggerEventStatus | null>[]): Promise<void> {
    const now = this.clock.now();
    const rows: Parameters<TriggerEventRepository['updateMany']>[1] = [];
    const answers = new Map<Work, BatchOutcome<TriggerEventStatus | null>>();
    for (const w of work) {
      if (w.failure !== undefined) {
        answers.set(w, { ok: false, error: w.failure });
        continue;
      }
      const outcome: TriggerEventOutcome = { ...w.outcome, consumers: w.consumed, errors: Object.keys(w.errors).length > 0 ? w.errors : undefined };
      if (outcome.errors && !w.item.finalAttempt) {
        rows.push({ id: w.event.id, outcome, contactId: w.event.contactId });
        answers.set(w, { ok: false, error: new ConsumerFailedError(`consumers failed: ${Object.keys(w.errors).join(', ')}`) });
        continue;
      }
      const status: TriggerEventStatus = outcome.errors
        ? 'failed'
        : !w.contact && Object.values(w.consumed).every((o) => Object.keys(o).length === 0)
          ? 'ignored'
          : 'processed';
      rows.push({ id: w.event.id, outcome, contactId: w.event.contactId, status, processedAt: now });
      answers.set(w, { ok: true, value: status });
    }
    await this.events.updateMany(workspaceId, rows);
    for (const [w, answer] of answers) {
      results[w.index] = answer;
      if (answer.ok && answer.value) this.observeDispatched(w.event, answer.value, now);
    }
  }

  private observeDispatched(event: TriggerEvent, status: TriggerEventStatus, at: Date): void {
    this.metrics.eventsDispatched.inc({ plugin: event.pluginId, status });
    this.metrics.eventDispatchLag.observe({ plugin: event.pluginId }, Math.max(0, at.getTime() - event.receivedAt.getTime()) / 1000);
  }
}

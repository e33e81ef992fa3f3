import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConsentService } from '@optline/consent';
import type { Contact } from '@optline/contacts';
import { BatchOutcome, Clock } from '@optline/core';
import { DataSource } from 'typeorm';
import { evaluateCondition } from '../logic/condition';
import { SegmentMembership, segmentIdsOf } from '../logic/segment-membership';
import type { FlowRun, RunContext } from '../persistence/flow-run.entity';
import { FlowRunRepository, NewRun, TimelineLine } from '../persistence/flow-run.repository';
import { ActiveFlow, FlowRepository } from '../persistence/flow.repository';
import type { FlowVersion } from '../persistence/flow-version.entity';
import { FlowRunner } from './flow-runner.service';
import { FlowTimers } from './flow-timers';
import { reentryAllows } from './reentry';
import { contactView } from './run-views';

/** The event a run starts from: a stored trigger event, or an enrolment's data. */
export interface EnrolmentSource {
  triggerEventId: string | null;
  type: string;
  data: Record<string, unknown>;
  correlation: Record<string, string>;
  /** The W3C traceparent of the dispatch that enrols (tracing on): the run's sends continue it. */
  trace?: string | null;
}

export interface StartedRun {
  flowId: string;
  runId: string;
}

export interface SkippedEnrolment {
  flowId: string;
  reason: 'filter' | 'reentry' | 'already_running';
}

/** One event of a dispatch batch to enrol from, with its (live) contact. */
export interface EventEnrolment {
  source: EnrolmentSource;
  contact: Contact;
}

export interface EnrolmentResult {
  started: StartedRun[];
  skipped: SkippedEnrolment[];
}

/** Creates runs: from a trigger event (matching active flows) or from an explicit enrolment. */
@Injectable()
export class FlowEnrolmentService {
  private readonly logger = new Logger(FlowEnrolmentService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly flows: FlowRepository,
    private readonly runs: FlowRunRepository,
    private readonly consent: ConsentService,
    private readonly timers: FlowTimers,
    private readonly runner: FlowRunner,
    private readonly clock: Clock,
    private readonly membership: SegmentMembership,
  ) {}

  /** Per contact, whether they are in each segment the candidate flows' trigger filters name. */
  private async filterSegments(workspaceId: string, items: EventEnrolment[], candidates: ActiveFlow[]): Promise<Map<string, Record<string, boolean>>> {
    const answers = new Map<string, Record<string, boolean>>();
    for (const { source, contact } of items) {
      const ids = candidates.filter((c) => c.version.triggerEvents.includes(source.type) && c.version.definition.trigger.filter).flatMap((c) => segmentIdsOf(c.version.definition.trigger.filter));
      const known = answers.get(contact.id) ?? {};
      const missing = ids.filter((id) => !(id in known));
      if (missing.length > 0) answers.set(contact.id, { ...known, ...(await this.membership.of(workspaceId, contact.id, missing)) });
    }
    return answers;
  }

  /**
   * For each event of a batch, starts a run in every active flow whose trigger and filter match:
   * the active flows and the contacts' consent read once, then one transaction that takes the
   * enrolment lock of each (flow, contact), checks re-entry, inserts the runs and their timeline
   * lines, then takes their first steps at once (see startNow). One live run per flow, contact and correlation key,
   * and one run per flow and trigger event (the unique indexes), so a duplicate or a retried
   * dispatch never enrols twice. Items about the same contact are enrolled one after another.
   * Answers per item; an item whose filter cannot be evaluated fails alone.
   */
  async enrolFromEvents(workspaceId: string, items: EventEnrolment[]): Promise<BatchOutcome<EnrolmentResult>[]> {
    const results: BatchOutcome<EnrolmentResult>[] = items.map(() => ({ ok: true, value: { started: [], skipped: [] } }));
    if (items.length === 0) return results;
    const candidates = await this.flows.activeForEvents(workspaceId, items.map((i) => i.source.type));
    if (candidates.length === 0) return results;
    const consent = await this.consent.statesFor(workspaceId, [...new Set(items.map((i) => i.contact.id))]);
    // Segments a trigger filter names are read now, when the event arrives (the moment that matters).
    const segmentsOf = await this.filterSegments(workspaceId, items, candidates);
    // Per item, per candidate flow (in the candidates' order): what happened.
    const answers: Map<string, StartedRun | SkippedEnrolment | null>[] = items.map(() => new Map());
    const planned: { item: number; active: ActiveFlow }[] = [];
    items.forEach(({ source, contact }, i) => {
      try {
        for (const active of candidates) {
          const trigger = active.version.definition.trigger;
          if (!active.version.triggerEvents.includes(source.type)) continue;
          // Scheduled events are emitted per attribute / per lapse length: a flow takes only its own.
          const ownScheduled =
            (source.type !== 'contact.date_reached' || source.data.attribute === trigger.dateAttribute) &&
            (source.type !== 'customer.lapsed' || source.data.lapsedDays === trigger.lapsedDays);
          if (!ownScheduled) continue;
          const states = (consent.get(contact.id) ?? {}) as Record<string, string>;
          if (trigger.filter && !evaluateCondition(trigger.filter, { event: source.data, contact: contactView(contact) as never, consent: states, segments: segmentsOf.get(contact.id) ?? {} })) {
            answers[i].set(active.flow.id, { flowId: active.flow.id, reason: 'filter' });
          } else {
            answers[i].set(active.flow.id, null);
            planned.push({ item: i, active });
          }
        }
      } catch (error) {
        results[i] = { ok: false, error };
      }
    });
    const live = planned.filter((p) => results[p.item].ok);
    // The same contact twice in one call: later items wait for the earlier ones' runs (re-entry).
    const rounds: (typeof live)[] = [];
    const seen = new Map<string, number>();
    let lastItem = -1;
    for (const p of live) {
      const contactId = items[p.item].contact.id;
      if (p.item !== lastItem) seen.set(contactId, (seen.get(contactId) ?? -1) + 1);
      lastItem = p.item;
      (rounds[seen.get(contactId)!] ??= []).push(p);
    }
    for (const round of rounds) {
      const started = await this.startMany(
        workspaceId,
        round.map((p) => ({ active: p.active, contactId: items[p.item].contact.id, source: items[p.item].source })),
      );
      round.forEach((p, j) => answers[p.item].set(p.active.flow.id, started[j]));
    }
    items.forEach((_, i) => {
      if (!results[i].ok) return;
      const value: EnrolmentResult = { started: [], skipped: [] };
      for (const answer of answers[i].values()) {
        if (answer && 'runId' in answer) value.started.push(answer);
        else if (answer) value.skipped.push(answer);
      }
      results[i] = { ok: true, value };
    });
    return results;
  }

  /** Starts runs of distinct (flow, contact) pairs in one transaction; answers each pair's run or why not. */
  private async startMany(workspaceId: string, starts: { active: ActiveFlow; contactId: string; source: EnrolmentSource }[]): Promise<(StartedRun | SkippedEnrolment)[]> {
    const now = this.clock.now();
    const pairs = starts.map((s) => ({ flowId: s.active.flow.id, contactId: s.contactId }));
    const answers: (StartedRun | SkippedEnrolment)[] = starts.map((s) => ({ flowId: s.active.flow.id, reason: 'already_running' }));
    const indexOf = new Map(starts.map((s, i) => [`${s.active.flow.id}:${s.contactId}`, i]));
    const created = await this.dataSource.transaction(async (manager) => {
      // Serialises the re-entry check and the insert with any other enrolment of these pairs.
      await this.runs.lockEnrolments(manager, pairs);
      const lastStarts = await this.runs.lastStartsOfPairs(manager, workspaceId, pairs);
      const rows: NewRun[] = [];
      starts.forEach((s, i) => {
        if (!reentryAllows(s.active.version.definition.reentry, lastStarts.get(`${s.active.flow.id}:${s.contactId}`) ?? null, now)) {
          answers[i] = { flowId: s.active.flow.id, reason: 'reentry' };
        } else rows.push(this.newRun(s.active.version, s.contactId, s.source, now, now, null));
      });
      // Rows the unique indexes refuse (a live run for the key, or this event's run) are left out.
      const inserted = await this.runs.insertMany(rows, manager);
      await this.runs.appendTimeline(
        inserted.map((run) => this.enrolledLine(run, starts[indexOf.get(`${run.flowId}:${run.contactId}`)!].source, now, null)),
        manager,
      );
      return inserted;
    });
    for (const run of created) answers[indexOf.get(`${run.flowId}:${run.contactId}`)!] = { flowId: run.flowId, runId: run.id };
    await this.startNow(workspaceId, created);
    return answers;
  }

  /**
   * The runs an event started take their first step here, in the dispatch that started them,
   * instead of through a job each: the runs are committed, so a crash before this leaves due runs
   * that the reconciler arms (law 3). A run whose step fails, or all of them if stepping fails
   * as a whole, get their jobs as usual.
   */
  private async startNow(workspaceId: string, runs: FlowRun[]): Promise<void> {
    if (runs.length === 0) return;
    try {
      const outcomes = await this.runner.processMany(
        workspaceId,
        runs.map((run) => ({ runId: run.id, stepId: run.stepId! })),
      );
      await this.timers.armMany(runs.filter((_, i) => !outcomes[i].ok));
    } catch (error) {
      this.logger.warn({ err: error, workspaceId, runs: runs.length }, 'first steps could not run in the dispatch; armed as jobs');
      await this.timers.armMany(runs);
    }
  }

  /**
   * Enrols contacts into one flow version (the API's enrol, one page of a group): re-entry in
   * one query, the runs in one insert, their jobs in one round trip. Returns the started runs.
   */
  async enrolMany(
    active: ActiveFlow,
    contactIds: string[],
    source: EnrolmentSource,
    options: { startAt: Date | null; enrolledGroupId: string | null; firstStepNow?: boolean },
  ): Promise<{ started: string[]; reentry: number; alreadyRunning: number }> {
    const { flow, version } = active;
    const now = this.clock.now();
    const lastStarts = await this.runs.lastStarts(flow.workspaceId, flow.id, contactIds);
    const allowed = contactIds.filter((id) => reentryAllows(version.definition.reentry, lastStarts.get(id) ?? null, now));
    const wakeAt = options.startAt && options.startAt > now ? options.startAt : now;
    const rows = allowed.map((contactId) => this.newRun(version, contactId, source, now, wakeAt, options.enrolledGroupId));
    const created = await this.dataSource.transaction(async (manager) => {
      const inserted = await this.runs.insertMany(rows, manager);
      await this.runs.appendTimeline(inserted.map((run) => this.enrolledLine(run, source, now, options.startAt)), manager);
      return inserted;
    });
    // One invited contact takes its first step at once, like a run an event starts: enrolment
    // jobs are named by (flow, start, step), so two invitations in the same millisecond would share one.
    if (options.firstStepNow && !options.startAt) await this.startNow(flow.workspaceId, created);
    else await this.timers.armEnrolment(created);
    return { started: created.map((r) => r.id), reentry: contactIds.length - allowed.length, alreadyRunning: allowed.length - created.length };
  }

  private newRun(version: FlowVersion, contactId: string, source: EnrolmentSource, now: Date, wakeAt: Date, enrolledGroupId: string | null): NewRun {
    const key = version.definition.trigger.correlationKey;
    const context: RunContext = {
      event: source.data,
      eventType: source.type,
      correlation: source.correlation,
      arms: {},
      lastReply: null,
      pendingReply: null,
      replyTimeoutAt: null,
      ...(source.trace && { trace: source.trace }),
    };
    return {
      workspaceId: version.workspaceId,
      flowId: version.flowId,
      flowVersionId: version.id,
      contactId,
      triggerEventId: source.triggerEventId,
      correlationKey: key ? (source.correlation[key] ?? '') : '',
      // 'active' with a later wake-up: a scheduled start, not a suspension (the first step has not run).
      status: 'active',
      stepId: version.definition.steps[0].id,
      wakeAt,
      waitKind: null,
      context,
      enrolledGroupId,
      startedAt: now,
    };
  }

  private enrolledLine(run: { id: string; workspaceId: string; flowVersionId: string }, source: EnrolmentSource, at: Date, startAt: Date | null): TimelineLine {
    return {
      workspaceId: run.workspaceId,
      runId: run.id,
      stepId: null,
      stepType: null,
      at,
      outcome: 'enrolled',
      detail: {
        event: source.type,
        triggerEventId: source.triggerEventId,
        versionId: run.flowVersionId,
        ...(startAt && { startAt: startAt.toISOString() }),
        ...(source.type === 'invitation' && { invitation: source.data.invitation }),
      },
      messageId: null,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConsentService } from '@optline/consent';
import type { Contact } from '@optline/contacts';
import { Clock } from '@optline/core';
import { DataSource } from 'typeorm';
import { evaluateCondition } from '../logic/condition';
import type { RunContext } from '../persistence/flow-run.entity';
import { FlowRunRepository, NewRun, TimelineLine } from '../persistence/flow-run.repository';
import { ActiveFlow, FlowRepository } from '../persistence/flow.repository';
import type { FlowVersion } from '../persistence/flow-version.entity';
import { FlowTimers } from './flow-timers';
import { reentryAllows } from './reentry';
import { contactView } from './run-views';

/** The event a run starts from: a stored trigger event, or an enrolment's data. */
export interface EnrolmentSource {
  triggerEventId: string | null;
  type: string;
  data: Record<string, unknown>;
  correlation: Record<string, string>;
}

export interface StartedRun {
  flowId: string;
  runId: string;
}

export interface SkippedEnrolment {
  flowId: string;
  reason: 'filter' | 'reentry' | 'already_running';
}

/** Creates runs: from a trigger event (matching active flows) or from an explicit enrolment. */
@Injectable()
export class FlowEnrolmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly flows: FlowRepository,
    private readonly runs: FlowRunRepository,
    private readonly consent: ConsentService,
    private readonly timers: FlowTimers,
    private readonly clock: Clock,
  ) {}

  /**
   * Starts a run in every active flow whose trigger and filter match. One live run per flow,
   * contact and correlation key, and one run per flow and trigger event, so a duplicate or a
   * retried dispatch never enrols twice.
   */
  async enrolFromEvent(workspaceId: string, source: EnrolmentSource, contact: Contact): Promise<{ started: StartedRun[]; skipped: SkippedEnrolment[] }> {
    const candidates = await this.flows.activeForEvent(workspaceId, source.type);
    const started: StartedRun[] = [];
    const skipped: SkippedEnrolment[] = [];
    if (candidates.length === 0) return { started, skipped };
    const consent = (await this.consent.statesFor(workspaceId, [contact.id])).get(contact.id) ?? {};
    for (const candidate of candidates) {
      const { flow, version } = candidate;
      const trigger = version.definition.trigger;
      // Scheduled events are emitted per attribute / per lapse length: a flow takes only its own.
      const ownScheduled =
        (source.type !== 'contact.date_reached' || source.data.attribute === trigger.dateAttribute) &&
        (source.type !== 'customer.lapsed' || source.data.lapsedDays === trigger.lapsedDays);
      if (!ownScheduled) continue;
      if (trigger.filter && !evaluateCondition(trigger.filter, { event: source.data, contact: contactView(contact) as never, consent: consent as Record<string, string> })) {
        skipped.push({ flowId: flow.id, reason: 'filter' });
        continue;
      }
      const outcome = await this.startOne(candidate, contact.id, source);
      if (outcome.runId) started.push({ flowId: flow.id, runId: outcome.runId });
      else skipped.push({ flowId: flow.id, reason: outcome.reason! });
    }
    return { started, skipped };
  }

  /**
   * Enrols contacts into one flow version (the API's enrol, one page of a group): re-entry in
   * one query, the runs in one insert, their jobs in one round trip. Returns the started runs.
   */
  async enrolMany(
    active: ActiveFlow,
    contactIds: string[],
    source: EnrolmentSource,
    options: { startAt: Date | null; enrolledGroupId: string | null },
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
    await this.timers.armMany(created);
    return { started: created.map((r) => r.id), reentry: contactIds.length - allowed.length, alreadyRunning: allowed.length - created.length };
  }

  private async startOne(active: ActiveFlow, contactId: string, source: EnrolmentSource): Promise<{ runId?: string; reason?: SkippedEnrolment['reason'] }> {
    const { flow, version } = active;
    const now = this.clock.now();
    const run = await this.dataSource.transaction(async (manager) => {
      // Serialises the re-entry check and the insert for this flow and contact.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`flow-enrol:${flow.id}:${contactId}`]);
      const lastStart = await this.runs.lastStart(manager, flow.workspaceId, flow.id, contactId);
      if (!reentryAllows(version.definition.reentry, lastStart, now)) return 'reentry' as const;
      const [inserted] = await this.runs.insertMany([this.newRun(version, contactId, source, now, now, null)], manager);
      if (!inserted) return 'already_running' as const;
      await this.runs.appendTimeline([this.enrolledLine(inserted, source, now, null)], manager);
      return inserted;
    });
    if (typeof run === 'string') return { reason: run };
    await this.timers.arm(run);
    return { runId: run.id };
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
      detail: { event: source.type, triggerEventId: source.triggerEventId, versionId: run.flowVersionId, ...(startAt && { startAt: startAt.toISOString() }) },
      messageId: null,
    };
  }
}

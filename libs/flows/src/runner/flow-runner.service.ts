import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BatchOutcome, Clock, DomainEventBus, JobPayloads } from '@optline/core';
import { DataSource, EntityManager } from 'typeorm';
import type { FlowStep } from '../definition/flow-definition';
import { FlowRun, LIVE_RUN_STATUSES } from '../persistence/flow-run.entity';
import type { FlowVersion } from '../persistence/flow-version.entity';
import { FlowRunRepository, TimelineLine } from '../persistence/flow-run.repository';
import { FlowRepository } from '../persistence/flow.repository';
import { executeStep, StepContext, StepResult } from './executors';
import { FlowTimers } from './flow-timers';
import { RunContextLoader } from './run-context.loader';

/** Steps chained in one job before handing over to a fresh job (keeps a job short). */
const MAX_STEPS_PER_JOB = 50;

/** One run to move on: it must (still) be on `stepId`. */
export interface StepWork {
  runId: string;
  stepId: string;
}

/** What one pass decided for one run. */
interface Decided {
  run: FlowRun;
  lines: TimelineLine[];
  /** Go straight on to this step in the next pass. */
  continueWith: string | null;
  /** The run sleeps: arm its job. */
  arm: boolean;
}

/**
 * The orchestrator: executes the current step of a batch of runs under their row locks, writes
 * the transitions and timeline lines in the same transaction, then either goes on with the next
 * steps or arms the jobs that wake the runs. The step executors do the work (their sends reach
 * the gateway together, see LiveStepEffectsFactory); this class only sequences it. One run is a
 * batch of one.
 */
@Injectable()
export class FlowRunner {
  private readonly logger = new Logger(FlowRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: FlowRunRepository,
    private readonly flows: FlowRepository,
    private readonly loader: RunContextLoader,
    private readonly timers: FlowTimers,
    private readonly clock: Clock,
    private readonly bus: DomainEventBus,
  ) {}

  /** The 'flow.step' job: run the step the payload names, if the run is (still) on it and due. */
  async process(payload: JobPayloads['flow.step']): Promise<void> {
    const [outcome] = await this.processMany(payload.workspaceId, [{ runId: payload.runId, stepId: payload.stepId }]);
    if (!outcome.ok) throw outcome.error;
  }

  /**
   * Runs of one workspace, each on the step its job names. result[i] is items[i]'s outcome: an
   * error leaves that run on its step (its job retries it) and does not stop the others.
   */
  async processMany(workspaceId: string, items: StepWork[]): Promise<BatchOutcome<void>[]> {
    const errors = new Map<string, unknown>();
    const contexts = new Map<string, StepContext | null>();
    let current = new Map<string, string>();
    for (const item of items) if (!current.has(item.runId)) current.set(item.runId, item.stepId);
    for (let pass = 0; current.size > 0 && pass < MAX_STEPS_PER_JOB; pass++) {
      const decided = await this.dataSource.transaction((manager) => this.pass(manager, workspaceId, current, contexts, errors));
      await this.timers.armMany(decided.filter((d) => d.arm).map((d) => d.run));
      for (const d of decided) if (d.continueWith === null && !d.arm && d.run.endedAt) await this.announceEnd(d.run);
      current = new Map(decided.filter((d) => d.continueWith !== null).map((d) => [d.run.id, d.continueWith!]));
    }
    // A very long chain: let a fresh job continue (the row already says where).
    for (const runId of current.keys()) {
      const run = await this.runs.findById(workspaceId, runId);
      if (run) await this.timers.arm(run);
    }
    return items.map((item) => (errors.has(item.runId) ? { ok: false, error: errors.get(item.runId) } : { ok: true, value: undefined }));
  }

  /** The ids of an enrolment's runs still on the batch job's step, a page after `after`. */
  async enrolmentPage(payload: JobPayloads['flow.step-batch'], after: string | null, limit: number): Promise<string[]> {
    return this.runs.liveIdsOfEnrolment(payload.workspaceId, payload.flowId, new Date(payload.startedAt), payload.stepId, after, limit);
  }

  /** A run whose step failed inside a batch job: its own job, shortly, with its own retries. */
  async retryAlone(payload: JobPayloads['flow.step']): Promise<void> {
    await this.timers.retry(payload);
  }

  /** Marks a run failed after its job gave up (final attempt), so it stops being re-armed. */
  async fail(payload: JobPayloads['flow.step'], error: string): Promise<void> {
    const failed = await this.dataSource.transaction(async (manager) => {
      const run = await this.runs.lock(manager, payload.workspaceId, payload.runId);
      if (!run || !LIVE_RUN_STATUSES.includes(run.status) || run.stepId !== payload.stepId) return null;
      const ended = this.end(run, 'failed', error.slice(0, 500), this.clock.now());
      await this.runs.saveMany([ended.run], manager);
      await this.runs.appendTimeline(ended.lines, manager);
      return ended.run;
    });
    if (failed) await this.announceEnd(failed);
  }

  /** After the commit: outbound webhooks (flow_run.ended) and anyone else listening. */
  private async announceEnd(run: FlowRun): Promise<void> {
    if (run.status !== 'completed' && run.status !== 'exited' && run.status !== 'failed') return;
    await this.bus.publish('flow.run_ended', { workspaceId: run.workspaceId, runId: run.id, flowId: run.flowId, contactId: run.contactId, status: run.status, reason: run.exitReason });
  }

  /** One step of each run in `steps` (run id → the step it should be on), in one transaction. */
  private async pass(
    manager: EntityManager,
    workspaceId: string,
    steps: Map<string, string>,
    contexts: Map<string, StepContext | null>,
    errors: Map<string, unknown>,
  ): Promise<Decided[]> {
    const locked = await this.runs.lockMany(manager, workspaceId, [...steps.keys()]);
    const now = this.clock.now();
    const decided: Decided[] = [];
    const ready: { run: FlowRun; step: FlowStep; version: FlowVersion }[] = [];
    for (const run of locked) {
      const stepId = steps.get(run.id)!;
      if (!LIVE_RUN_STATUSES.includes(run.status) || run.stepId !== stepId) continue;
      const pendingReply = run.waitKind === 'reply' ? run.context.pendingReply : null;
      // Woken before time (a clock skew, a stale job): the row still holds the right wake-up.
      if (run.wakeAt && run.wakeAt.getTime() > now.getTime() && !pendingReply) continue;
      const version = await this.flows.versionById(run.workspaceId, run.flowVersionId);
      const step = version?.definition.steps.find((s) => s.id === stepId);
      if (!version || !step) decided.push(this.end(run, 'failed', `step "${stepId}" is not in version ${run.flowVersionId}`, now));
      else ready.push({ run, step, version });
    }
    const unloaded = ready.filter(({ run }) => !contexts.has(run.id));
    if (unloaded.length > 0) for (const [id, ctx] of await this.loader.loadMany(workspaceId, unloaded)) contexts.set(id, ctx);

    const executed = await Promise.all(
      ready.map(async ({ run, step }) => {
        const ctx = contexts.get(run.id);
        if (!ctx) return this.end(run, 'exited', 'contact erased', now);
        ctx.now = now;
        const pendingReply = run.waitKind === 'reply' ? run.context.pendingReply : null;
        ctx.resume =
          run.status === 'waiting' && run.wakeAt
            ? {
                wakeAt: run.context.replyTimeoutAt ? new Date(run.context.replyTimeoutAt) : run.wakeAt,
                reply: pendingReply ? { body: pendingReply.body, keyword: pendingReply.keyword, messageId: pendingReply.messageId, at: new Date(pendingReply.at) } : null,
              }
            : null;
        try {
          return this.apply(run, step, await executeStep(step, ctx), ctx, now);
        } catch (error) {
          // This run stays on its step; its job retries it. The others go on.
          errors.set(run.id, error);
          contexts.delete(run.id);
          return null;
        }
      }),
    );
    for (const d of executed) if (d) decided.push(d);
    await this.runs.saveMany(
      decided.map((d) => d.run),
      manager,
    );
    await this.runs.appendTimeline(
      decided.flatMap((d) => d.lines),
      manager,
    );
    for (const d of decided) if (d.continueWith === null) contexts.delete(d.run.id);
    return decided;
  }

  private apply(run: FlowRun, step: FlowStep, result: StepResult, ctx: StepContext, now: Date): Decided {
    const lines: TimelineLine[] = [
      { workspaceId: run.workspaceId, runId: run.id, stepId: step.id, stepType: step.type, at: now, outcome: result.outcome, detail: result.detail ?? {}, messageId: result.messageId ?? null },
    ];
    run.context = { ...run.context, arms: { ...ctx.arms }, lastReply: ctx.lastReply, pendingReply: null };
    const decided: Decided = { run, lines, continueWith: null, arm: false };

    if (result.kind === 'next') {
      run.context.replyTimeoutAt = null;
      if (result.next === null) {
        Object.assign(run, { status: 'completed', stepId: null, wakeAt: null, waitKind: null, endedAt: now, exitReason: null });
        lines.push(this.runLine(run, now, 'completed', {}));
      } else {
        Object.assign(run, { status: 'active', stepId: result.next, wakeAt: now, waitKind: null });
        decided.continueWith = result.next;
      }
    } else if (result.kind === 'suspend') {
      run.context.replyTimeoutAt = result.waitKind === 'reply' ? result.wakeAt.toISOString() : null;
      Object.assign(run, { status: 'waiting', wakeAt: result.wakeAt, waitKind: result.waitKind });
      decided.arm = true;
    } else {
      // An exit step ends the run as planned: completed, with the step's reason.
      Object.assign(run, { status: 'completed', stepId: null, wakeAt: null, waitKind: null, endedAt: now, exitReason: result.reason });
      lines.push(this.runLine(run, now, 'completed', { reason: result.reason }));
    }
    return decided;
  }

  private end(run: FlowRun, status: 'failed' | 'exited', reason: string, now: Date): Decided {
    this.logger.warn({ runId: run.id, status, reason }, 'flow run ended');
    Object.assign(run, { status, stepId: null, wakeAt: null, waitKind: null, endedAt: now, exitReason: reason });
    return { run, lines: [this.runLine(run, now, status, { reason })], continueWith: null, arm: false };
  }

  private runLine(run: FlowRun, at: Date, outcome: string, detail: Record<string, unknown>): TimelineLine {
    return { workspaceId: run.workspaceId, runId: run.id, stepId: null, stepType: null, at, outcome, detail, messageId: null };
  }
}

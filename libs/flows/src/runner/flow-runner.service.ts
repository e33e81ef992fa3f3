import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, JobPayloads } from '@optline/core';
import { DataSource, EntityManager } from 'typeorm';
import type { FlowStep } from '../definition/flow-definition';
import { FlowRun, LIVE_RUN_STATUSES } from '../persistence/flow-run.entity';
import { FlowRunRepository, TimelineLine } from '../persistence/flow-run.repository';
import { FlowRepository } from '../persistence/flow.repository';
import { executeStep, StepContext, StepResult } from './executors';
import { FlowTimers } from './flow-timers';
import { RunContextLoader } from './run-context.loader';

/** Steps chained in one job before handing over to a fresh job (keeps a job short). */
const MAX_STEPS_PER_JOB = 50;

interface StepTransition {
  /** The run goes straight on to this step. */
  continueWith: string | null;
  /** The run sleeps; arm its job. */
  arm: FlowRun | null;
}

/**
 * The orchestrator: executes a run's current step under a row lock, writes the transition and
 * the timeline line in the same transaction, then either goes on with the next step or arms
 * the job that wakes the run. The step executors do the work; this class only sequences it.
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
  ) {}

  /** The 'flow.step' job: run the step the payload names, if the run is (still) on it and due. */
  async process(payload: JobPayloads['flow.step']): Promise<void> {
    let stepId: string | null = payload.stepId;
    let ctx: StepContext | null = null;
    for (let i = 0; stepId !== null && i < MAX_STEPS_PER_JOB; i++) {
      const current: string = stepId;
      const transition: StepTransition = await this.dataSource.transaction(async (manager) => {
        const run = await this.runs.lock(manager, payload.workspaceId, payload.runId);
        if (!run || !LIVE_RUN_STATUSES.includes(run.status) || run.stepId !== current) return { continueWith: null, arm: null };
        const now = this.clock.now();
        const pendingReply = run.waitKind === 'reply' ? run.context.pendingReply : null;
        // Woken before time (a clock skew, a stale job): the row still holds the right wake-up.
        if (run.wakeAt && run.wakeAt.getTime() > now.getTime() && !pendingReply) return { continueWith: null, arm: null };

        const version = await this.flows.versionById(run.workspaceId, run.flowVersionId);
        const step = version?.definition.steps.find((s) => s.id === current);
        if (!version || !step) return this.end(manager, run, 'failed', `step "${current}" is not in version ${run.flowVersionId}`, now);
        ctx ??= await this.loader.load(run, version);
        if (!ctx) return this.end(manager, run, 'exited', 'contact erased', now);
        ctx.now = now;
        ctx.resume =
          run.status === 'waiting' && run.wakeAt
            ? {
                wakeAt: run.context.replyTimeoutAt ? new Date(run.context.replyTimeoutAt) : run.wakeAt,
                reply: pendingReply ? { body: pendingReply.body, keyword: pendingReply.keyword, messageId: pendingReply.messageId, at: new Date(pendingReply.at) } : null,
              }
            : null;
        const result = await executeStep(step, ctx);
        return this.apply(manager, run, step, result, ctx, now);
      });
      if (transition.arm) await this.timers.arm(transition.arm);
      stepId = transition.continueWith;
    }
    if (stepId !== null) {
      // A very long chain: let a fresh job continue (the row already says where).
      const run = await this.runs.findById(payload.workspaceId, payload.runId);
      if (run) await this.timers.arm(run);
    }
  }

  /** Marks a run failed after its job gave up (final attempt), so it stops being re-armed. */
  async fail(payload: JobPayloads['flow.step'], error: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const run = await this.runs.lock(manager, payload.workspaceId, payload.runId);
      if (!run || !LIVE_RUN_STATUSES.includes(run.status) || run.stepId !== payload.stepId) return;
      await this.end(manager, run, 'failed', error.slice(0, 500), this.clock.now());
    });
  }

  private async apply(manager: EntityManager, run: FlowRun, step: FlowStep, result: StepResult, ctx: StepContext, now: Date): Promise<StepTransition> {
    const lines: TimelineLine[] = [
      { workspaceId: run.workspaceId, runId: run.id, stepId: step.id, stepType: step.type, at: now, outcome: result.outcome, detail: result.detail ?? {}, messageId: result.messageId ?? null },
    ];
    run.context = { ...run.context, arms: { ...ctx.arms }, lastReply: ctx.lastReply, pendingReply: null };
    let transition: StepTransition = { continueWith: null, arm: null };

    if (result.kind === 'next') {
      run.context.replyTimeoutAt = null;
      if (result.next === null) {
        Object.assign(run, { status: 'completed', stepId: null, wakeAt: null, waitKind: null, endedAt: now, exitReason: null });
        lines.push(this.runLine(run, now, 'completed', {}));
      } else {
        Object.assign(run, { status: 'active', stepId: result.next, wakeAt: now, waitKind: null });
        transition = { continueWith: result.next, arm: null };
      }
    } else if (result.kind === 'suspend') {
      run.context.replyTimeoutAt = result.waitKind === 'reply' ? result.wakeAt.toISOString() : null;
      Object.assign(run, { status: 'waiting', wakeAt: result.wakeAt, waitKind: result.waitKind });
      transition = { continueWith: null, arm: run };
    } else {
      // An exit step ends the run as planned: completed, with the step's reason.
      Object.assign(run, { status: 'completed', stepId: null, wakeAt: null, waitKind: null, endedAt: now, exitReason: result.reason });
      lines.push(this.runLine(run, now, 'completed', { reason: result.reason }));
    }
    await this.runs.save(run, manager);
    await this.runs.appendTimeline(lines, manager);
    return transition;
  }

  private async end(manager: EntityManager, run: FlowRun, status: 'failed' | 'exited', reason: string, now: Date): Promise<StepTransition> {
    this.logger.warn({ runId: run.id, status, reason }, 'flow run ended');
    Object.assign(run, { status, stepId: null, wakeAt: null, waitKind: null, endedAt: now, exitReason: reason });
    await this.runs.save(run, manager);
    await this.runs.appendTimeline([this.runLine(run, now, status, { reason })], manager);
    return { continueWith: null, arm: null };
  }

  private runLine(run: FlowRun, at: Date, outcome: string, detail: Record<string, unknown>): TimelineLine {
    return { workspaceId: run.workspaceId, runId: run.id, stepId: null, stepType: null, at, outcome, detail, messageId: null };
  }
}

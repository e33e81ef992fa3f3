import { Injectable } from '@nestjs/common';
import { Clock, JOB_IDS, JobPayloads, JobQueue } from '@optline/core';

/** What a run's row says about its next job. */
export interface ArmableRun {
  id: string;
  workspaceId: string;
  stepId: string | null;
  wakeAt: Date | null;
  /** With startedAt: the enrolment the run came from, whose batch job may be the one to wake it. */
  flowId?: string;
  startedAt?: Date;
}

/**
 * Redis is the clock (law 3): a run's next job is derived from its row alone — the step it is
 * on and when to look — so anyone (the runner, the reconciler after a FLUSHALL) arms the same
 * job id, and arming twice is a no-op in Bull.
 */
@Injectable()
export class FlowTimers {
  constructor(
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  static payload(run: ArmableRun): JobPayloads['flow.step'] {
    return { workspaceId: run.workspaceId, runId: run.id, stepId: run.stepId! };
  }

  static attempt(run: ArmableRun): string {
    return `w${run.wakeAt!.getTime()}`;
  }

  static jobId(run: ArmableRun): string {
    return JOB_IDS['flow.step'](FlowTimers.payload(run), FlowTimers.attempt(run));
  }

  /** The enrolment batch job that would step this run, when the run is still where it started. */
  static enrolmentPayload(run: ArmableRun): JobPayloads['flow.step-batch'] | null {
    if (!run.flowId || !run.startedAt || !run.stepId) return null;
    return { workspaceId: run.workspaceId, flowId: run.flowId, startedAt: run.startedAt.toISOString(), stepId: run.stepId };
  }

  /**
   * Runs one enrolment started together (same flow, start, first step and wake-up): one job for
   * all of them instead of one per run, so a campaign page costs the queue one job.
   */
  async armEnrolment(runs: (ArmableRun & { flowId: string; startedAt: Date })[]): Promise<void> {
    const jobs = new Map<string, { payload: JobPayloads['flow.step-batch']; wakeAt: Date; attempt: string }>();
    for (const run of runs) {
      const payload = FlowTimers.enrolmentPayload(run);
      if (!payload || !run.wakeAt) continue;
      const attempt = FlowTimers.attempt(run);
      jobs.set(JOB_IDS['flow.step-batch'](payload, attempt), { payload, wakeAt: run.wakeAt, attempt });
    }
    for (const job of jobs.values()) await this.jobs.enqueue('flow.step-batch', job.payload, { runAt: job.wakeAt, now: this.clock.now(), attempt: job.attempt });
  }

  /** A run whose step failed inside a batch job: its own job, shortly, with its own retries. */
  async retry(payload: JobPayloads['flow.step']): Promise<void> {
    await this.jobs.retryAlone('flow.step', payload, this.clock.now());
  }

  async arm(run: ArmableRun): Promise<void> {
    if (!run.stepId || !run.wakeAt) return;
    await this.jobs.enqueue('flow.step', FlowTimers.payload(run), { runAt: run.wakeAt, now: this.clock.now(), attempt: FlowTimers.attempt(run) });
  }

  /** Many runs due now (an enrolment batch): one round trip per distinct wake time. */
  async armMany(runs: ArmableRun[]): Promise<void> {
    const now = this.clock.nowMs();
    const due = runs.filter((r) => r.stepId && r.wakeAt && r.wakeAt.getTime() <= now);
    const byAttempt = new Map<string, ArmableRun[]>();
    for (const run of due) byAttempt.set(FlowTimers.attempt(run), [...(byAttempt.get(FlowTimers.attempt(run)) ?? []), run]);
    for (const [attempt, group] of byAttempt) await this.jobs.enqueueMany('flow.step', group.map(FlowTimers.payload), { attempt });
    const later = runs.filter((r) => r.stepId && r.wakeAt && r.wakeAt.getTime() > now);
    for (let i = 0; i < later.length; i += 200) await Promise.all(later.slice(i, i + 200).map((run) => this.arm(run)));
  }

  /**
   * Makes sure a due run has a job that will run now (its enrolment's batch job counts; pass one
   * map per reconcile pass to ask about each such job once): a delayed one is promoted (the hub's clock
   * may be ahead of Redis's), a finished or failed one with the same id is replaced, a missing
   * one is added. Returns what it did.
   */
  async ensureRunning(run: ArmableRun, enrolmentJobs: Map<string, Promise<boolean>> = new Map()): Promise<'present' | 'promoted' | 'armed'> {
    const queue = this.jobs.queue('flow.step');
    const enrolment = FlowTimers.enrolmentPayload(run);
    if (enrolment) {
      // A campaign's runs share their enrolment job: ask Redis about it once per reconcile pass.
      const id = JOB_IDS['flow.step-batch'](enrolment, FlowTimers.attempt(run));
      let live = enrolmentJobs.get(id);
      if (!live) {
        live = queue.getJob(id).then(async (batch) => {
          const state = batch ? await batch.getState() : null;
          // Due but still delayed (the hub's clock ahead of Redis's): let it run now.
          if (state === 'delayed') await batch!.promote();
          return state === 'waiting' || state === 'active' || state === 'paused' || state === 'delayed';
        });
        enrolmentJobs.set(id, live);
      }
      if (await live) return 'present';
    }
    const job = await queue.getJob(FlowTimers.jobId(run));
    if (job) {
      const state = await job.getState();
      if (state === 'waiting' || state === 'active' || state === 'paused') return 'present';
      if (state === 'delayed') {
        await job.promote();
        return 'promoted';
      }
      await job.remove().catch(() => undefined);
    }
    await this.arm(run);
    return 'armed';
  }
}

import { Injectable } from '@nestjs/common';
import { Clock, JOB_IDS, JobPayloads, JobQueue } from '@optline/core';

/** What a run's row says about its next job. */
export interface ArmableRun {
  id: string;
  workspaceId: string;
  stepId: string | null;
  wakeAt: Date | null;
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
   * Makes sure a due run has a job that will run now: a delayed one is promoted (the hub's clock
   * may be ahead of Redis's), a finished or failed one with the same id is replaced, a missing
   * one is added. Returns what it did.
   */
  async ensureRunning(run: ArmableRun): Promise<'present' | 'promoted' | 'armed'> {
    const queue = this.jobs.queue('flow.step');
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

import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { BatchCoalescer, JobPayloads, perWorkspace, QUEUES, validateObject } from '@optline/core';
import type { Job } from 'bull';
import { IsISO8601, IsString, IsUUID, Matches } from 'class-validator';
import { FlowRunner } from './flow-runner.service';

type StepJob = JobPayloads['flow.step'];

class FlowStepPayload implements StepJob {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  runId: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  stepId: string;
}

class FlowStepBatchPayload implements Pick<JobPayloads['flow.step-batch'], 'workspaceId' | 'flowId' | 'startedAt' | 'stepId'> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  flowId: string;

  @IsISO8601()
  startedAt: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  stepId: string;
}

/** Runs of an enrolment read per page by its batch job. */
const ENROLMENT_PAGE = 1_000;

/** Step jobs one worker process takes at once; they wait for the batch they are gathered into. */
export const STEP_CONCURRENCY = 200;

/**
 * Batches of runs being stepped at once. A batch holds its runs' row locks on one connection
 * while its effects (sends, group changes) use others, so this stays well below the pool.
 */
const STEP_BATCHES_IN_FLIGHT = 3;

/**
 * Queue 'flow-steps'. 'flow.step': one job per run and wake-up (law 3: the row holds the truth,
 * the job says when to look); jobs running at the same moment are stepped together, one
 * transaction per batch, each job keeping its own result, retries and final-attempt handling.
 * 'flow.step-batch': the first step of the runs one enrolment page started (a campaign).
 */
@Processor(QUEUES.flowSteps)
export class FlowStepProcessor {
  private readonly logger = new Logger(FlowStepProcessor.name);
  private readonly batches = new BatchCoalescer<StepJob, void>((items) => perWorkspace(items, (workspaceId, group) => this.runner.processMany(workspaceId, group)), {
    maxBatch: 200,
    maxWaitMs: 2,
    maxConcurrent: STEP_BATCHES_IN_FLIGHT,
  });

  constructor(private readonly runner: FlowRunner) {}

  @Process({ name: 'flow.step', concurrency: STEP_CONCURRENCY })
  async handle(job: Job<JobPayloads['flow.step']>): Promise<void> {
    let payload: FlowStepPayload;
    try {
      payload = validateObject(FlowStepPayload, job.data);
    } catch (error) {
      await job.discard();
      throw error;
    }
    try {
      await this.batches.submit(payload);
    } catch (error) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.runner.fail(payload, reason).catch(() => undefined);
        this.logger.error({ err: error, runId: payload.runId, stepId: payload.stepId }, 'flow step gave up; run failed');
      }
      throw error;
    }
  }

  /** An enrolment's first step: its runs, a page at a time, through the same batches as single jobs. */
  @Process({ name: 'flow.step-batch', concurrency: 1 })
  async handleEnrolment(job: Job<JobPayloads['flow.step-batch']>): Promise<{ stepped: number; retried: number }> {
    let payload: FlowStepBatchPayload;
    try {
      payload = validateObject(FlowStepBatchPayload, job.data);
    } catch (error) {
      await job.discard();
      throw error;
    }
    const tally = { stepped: 0, retried: 0 };
    let after: string | null = null;
    for (;;) {
      const ids = await this.runner.enrolmentPage(payload, after, ENROLMENT_PAGE);
      if (ids.length === 0) break;
      const settled = await Promise.allSettled(ids.map((runId) => this.batches.submit({ workspaceId: payload.workspaceId, runId, stepId: payload.stepId })));
      // A run that failed goes back to a job of its own, with its own retries and final-attempt handling.
      const failed = ids.filter((_, i) => settled[i].status === 'rejected');
      for (const runId of failed) await this.runner.retryAlone({ workspaceId: payload.workspaceId, runId, stepId: payload.stepId });
      tally.stepped += ids.length - failed.length;
      tally.retried += failed.length;
      await job.progress(tally.stepped);
      after = ids[ids.length - 1];
      if (ids.length < ENROLMENT_PAGE) break;
    }
    return tally;
  }
}

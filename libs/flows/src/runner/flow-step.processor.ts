import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { JobPayloads, QUEUES, validateObject } from '@optline/core';
import type { Job } from 'bull';
import { IsString, IsUUID, Matches } from 'class-validator';
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

/**
 * Queue 'flow-steps', job 'flow.step'. Concurrency stays below the database pool: a step holds
 * its run's row lock (one connection) while its effects use another.
 */
@Processor(QUEUES.flowSteps)
export class FlowStepProcessor {
  private readonly logger = new Logger(FlowStepProcessor.name);

  constructor(private readonly runner: FlowRunner) {}

  @Process({ name: 'flow.step', concurrency: 3 })
  async handle(job: Job<JobPayloads['flow.step']>): Promise<void> {
    let payload: FlowStepPayload;
    try {
      payload = validateObject(FlowStepPayload, job.data);
    } catch (error) {
      await job.discard();
      throw error;
    }
    try {
      await this.runner.process(payload);
    } catch (error) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.runner.fail(payload, reason).catch(() => undefined);
        this.logger.error({ err: error, runId: payload.runId, stepId: payload.stepId }, 'flow step gave up; run failed');
      }
      throw error;
    }
  }
}

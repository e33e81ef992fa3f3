import { Process, Processor } from '@nestjs/bull';
import { JobPayloads, QUEUES, validateObject } from '@optline/core';
import type { Job } from 'bull';
import { IsUUID } from 'class-validator';
import { ConsentWritebackRunner } from './consent-writeback.runner';

class ConsentWritebackPayload implements Pick<JobPayloads['plugin.consent-writeback'], 'workspaceId' | 'installationId' | 'consentEventId'> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  installationId: string;

  @IsUUID()
  consentEventId: string;
}

/** Queue 'plugin-tasks', job 'plugin.consent-writeback': one consent change to one remote system. */
@Processor(QUEUES.pluginTasks)
export class ConsentWritebackProcessor {
  constructor(private readonly runner: ConsentWritebackRunner) {}

  @Process({ name: 'plugin.consent-writeback', concurrency: 4 })
  async handle(job: Job<JobPayloads['plugin.consent-writeback']>): Promise<string | null> {
    let payload: ConsentWritebackPayload;
    try {
      payload = validateObject(ConsentWritebackPayload, job.data);
    } catch (error) {
      await job.discard();
      throw error;
    }
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.runner.run(payload.workspaceId, payload.installationId, payload.consentEventId, finalAttempt);
  }
}

import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { JobPayloads, QUEUES, validateObject } from '@optline/core';
import type { Job } from 'bull';
import { IsUUID } from 'class-validator';
import { ImportRunnerService } from './import-runner.service';

class ContactImportPayload implements Readonly<JobPayloads['contacts.import']> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  importId: string;
}

/** Runs 'contacts.import' jobs: validates the payload, then hands the import to the runner. */
@Processor(QUEUES.imports)
export class ContactImportProcessor {
  private readonly logger = new Logger(ContactImportProcessor.name);

  constructor(private readonly runner: ImportRunnerService) {}

  @Process('contacts.import')
  async handle(job: Job<JobPayloads['contacts.import']>): Promise<void> {
    let payload: ContactImportPayload;
    try {
      payload = validateObject(ContactImportPayload, job.data);
    } catch (error) {
      // A malformed payload will never become valid: do not retry it.
      await job.discard();
      throw error;
    }
    await this.runner.run(payload.workspaceId, payload.importId);
  }

  /** After the last retry the import is marked failed, so its progress view does not stay "running" forever. */
  @OnQueueFailed()
  async failed(job: Job<JobPayloads['contacts.import']>, error: Error): Promise<void> {
    if (job.name !== 'contacts.import' || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    try {
      const payload = validateObject(ContactImportPayload, job.data);
      await this.runner.markFailed(payload.workspaceId, payload.importId, error.message);
    } catch (markError) {
      this.logger.error({ err: markError, jobId: job.id }, 'could not mark the import failed');
    }
  }
}

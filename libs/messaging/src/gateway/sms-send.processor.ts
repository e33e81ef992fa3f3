import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { DomainError, JobPayloads, QUEUES, validateObject } from '@optline/core';
import type { Job } from 'bull';
import { IsUUID } from 'class-validator';
import { SendDispatcher } from './send-dispatcher.service';

class SmsSendPayload implements Pick<JobPayloads['sms.send'], 'workspaceId' | 'messageId'> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  messageId: string;
}

/** How many sends one worker process runs at once (each mostly waits on Postgres and the provider). */
export const SEND_CONCURRENCY = 20;

/** Queue `sends`: one job per message, "look at message X now" (law 3). */
@Processor(QUEUES.sends)
export class SmsSendProcessor {
  private readonly logger = new Logger(SmsSendProcessor.name);

  constructor(private readonly dispatcher: SendDispatcher) {}

  @Process({ name: 'sms.send', concurrency: SEND_CONCURRENCY })
  async send(job: Job<JobPayloads['sms.send']>): Promise<string> {
    let payload: SmsSendPayload;
    try {
      payload = validateObject(SmsSendPayload, job.data);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.error({ jobId: job.id, details: error.details }, 'malformed sms.send payload; discarded');
      await job.discard();
      return 'invalid_payload';
    }
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.dispatcher.dispatch(payload.workspaceId, payload.messageId, { finalAttempt });
  }
}

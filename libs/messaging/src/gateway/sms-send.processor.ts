import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { BatchCoalescer, DomainError, JobPayloads, JobQueue, MAX_BATCH_JOB_IDS, perWorkspace, QUEUES, validateObject } from '@optline/core';
import type { Job } from 'bull';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import type { DispatchResult } from './dispatch.types';
import { SendDispatcher } from './send-dispatcher.service';

class SmsSendPayload implements Pick<JobPayloads['sms.send'], 'workspaceId' | 'messageId'> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  messageId: string;
}

class SmsSendBatchPayload implements Pick<JobPayloads['sms.send-batch'], 'workspaceId' | 'messageIds'> {
  @IsUUID()
  workspaceId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_JOB_IDS)
  @IsUUID('all', { each: true })
  messageIds: string[];
}

/**
 * How many single-message jobs one worker process takes at once. They mostly wait for the
 * batch they are coalesced into, so this is the largest batch they form, not parallel work.
 */
export const SEND_CONCURRENCY = 200;

/** Batch jobs (each up to MAX_BATCH_JOB_IDS messages) one worker process runs at once. */
export const SEND_BATCH_CONCURRENCY = 2;

interface SendItem {
  workspaceId: string;
  messageId: string;
  finalAttempt: boolean;
}

/**
 * Queue `sends`. `sms.send` says "look at message X now" (law 3) — one job per message, from
 * single submits, deferrals and the reconciler; the jobs running at the same moment are decided
 * together (one batch of statements) while each keeps its own result, retries and backoff.
 * `sms.send-batch` names the messages of one `submitMany` (a campaign page) in one job.
 */
@Processor(QUEUES.sends)
export class SmsSendProcessor {
  private readonly logger = new Logger(SmsSendProcessor.name);
  private readonly coalescer = new BatchCoalescer<SendItem, DispatchResult>((items) => perWorkspace(items, (workspaceId, group) => this.dispatcher.dispatchMany(workspaceId, group)), { maxBatch: MAX_BATCH_JOB_IDS, maxWaitMs: 2 });

  constructor(
    private readonly dispatcher: SendDispatcher,
    private readonly jobs: JobQueue,
  ) {}

  @Process({ name: 'sms.send', concurrency: SEND_CONCURRENCY })
  async send(job: Job<JobPayloads['sms.send']>): Promise<string> {
    const payload = await this.validated(job, SmsSendPayload);
    if (!payload) return 'invalid_payload';
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.coalescer.submit({ workspaceId: payload.workspaceId, messageId: payload.messageId, finalAttempt });
  }

  @Process({ name: 'sms.send-batch', concurrency: SEND_BATCH_CONCURRENCY })
  async sendBatch(job: Job<JobPayloads['sms.send-batch']>): Promise<Record<string, number>> {
    const payload = await this.validated(job, SmsSendBatchPayload);
    if (!payload) return { invalid_payload: 1 };
    const outcomes = await this.dispatcher.dispatchMany(
      payload.workspaceId,
      payload.messageIds.map((messageId) => ({ messageId, finalAttempt: false })),
    );
    // A message the provider asked us to retry goes back to its own job, with its own retries.
    const retry = payload.messageIds.filter((_, i) => !outcomes[i].ok);
    for (const messageId of retry) {
      await this.jobs.retryAlone('sms.send', { workspaceId: payload.workspaceId, messageId });
    }
    const tally: Record<string, number> = retry.length > 0 ? { retry: retry.length } : {};
    for (const outcome of outcomes) if (outcome.ok) tally[outcome.value] = (tally[outcome.value] ?? 0) + 1;
    return tally;
  }

  private async validated<T extends object>(job: Job, type: new () => T): Promise<T | null> {
    try {
      return validateObject(type, job.data);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.error({ jobId: job.id, name: job.name, details: error.details }, 'malformed send job payload; discarded');
      await job.discard();
      return null;
    }
  }
}

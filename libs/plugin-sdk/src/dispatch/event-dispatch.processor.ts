import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { BatchCoalescer, BatchOutcome, JobPayloads, JobQueue, MAX_BATCH_JOB_IDS, QUEUES, validateObject } from '@optline/core';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import type { Job } from 'bull';
import { BatchTurns } from './batch-turns';
import { DispatchItem, EventDispatchService } from './event-dispatch.service';

class EventDispatchBatchPayload implements Pick<JobPayloads['event.dispatch-batch'], 'workspaceId' | 'triggerEventIds'> {
  @IsUUID()
  workspaceId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_JOB_IDS)
  @IsUUID('all', { each: true })
  triggerEventIds: string[];
}

class EventDispatchPayload implements Pick<JobPayloads['event.dispatch'], 'workspaceId' | 'triggerEventId'> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  triggerEventId: string;
}

/**
 * How many 'event.dispatch' jobs run at once: they are waits on a shared batch, not work of
 * their own, so many are cheap — and the more run together, the fewer statements per event.
 */
export const EVENT_DISPATCH_CONCURRENCY = 100;

/**
 * Queue 'events', job 'event.dispatch': one stored trigger event to contacts, consent and flows.
 * One job per event (law 3: the reconciler re-arms per event); the jobs running at the same
 * moment are dispatched together (decision 0117), each keeping its own result, retries and backoff.
 */
@Processor(QUEUES.events)
export class EventDispatchProcessor {
  private readonly logger = new Logger(EventDispatchProcessor.name);
  // 2 ms lets the jobs Bull hands out one by one join the batch already forming.
  private readonly coalescer = new BatchCoalescer<DispatchItem, string | null>((items) => this.turns.submit(items), {
    maxBatch: EVENT_DISPATCH_CONCURRENCY,
    maxWaitMs: 2,
  });
  // One batch at a time in this process: a burst keeps its order, and what waits goes as one batch.
  private readonly turns = new BatchTurns<DispatchItem, BatchOutcome<string | null>>((items) => this.dispatcher.dispatchMany(items));

  constructor(
    private readonly dispatcher: EventDispatchService,
    private readonly jobs: JobQueue,
  ) {}

  @Process({ name: 'event.dispatch', concurrency: EVENT_DISPATCH_CONCURRENCY })
  async handle(job: Job<JobPayloads['event.dispatch']>): Promise<string | null> {
    let payload: EventDispatchPayload;
    try {
      payload = validateObject(EventDispatchPayload, job.data);
    } catch (error) {
      await job.discard();
      throw error;
    }
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return await this.coalescer.submit({ workspaceId: payload.workspaceId, triggerEventId: payload.triggerEventId, finalAttempt });
    } catch (error) {
      if (finalAttempt) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.dispatcher.markFailed(payload.workspaceId, payload.triggerEventId, reason).catch(() => undefined);
        this.logger.error({ err: error, triggerEventId: payload.triggerEventId }, 'event dispatch gave up');
      }
      throw error;
    }
  }

  /**
   * 'event.dispatch-batch': the events of one burst, in the same turns as single jobs. An event
   * whose dispatch failed goes to a job of its own, with its own retries and final attempt.
   */
  @Process({ name: 'event.dispatch-batch', concurrency: 2 })
  async handleBatch(job: Job<JobPayloads['event.dispatch-batch']>): Promise<Record<string, number>> {
    let payload: EventDispatchBatchPayload;
    try {
      payload = validateObject(EventDispatchBatchPayload, job.data);
    } catch (error) {
      await job.discard();
      throw error;
    }
    const outcomes = await this.turns.submit(payload.triggerEventIds.map((triggerEventId) => ({ workspaceId: payload.workspaceId, triggerEventId, finalAttempt: false })));
    const tally: Record<string, number> = {};
    for (const [i, outcome] of outcomes.entries()) {
      const key = outcome.ok ? String(outcome.value) : 'retry';
      tally[key] = (tally[key] ?? 0) + 1;
      if (outcome.ok) continue;
      const single = { workspaceId: payload.workspaceId, triggerEventId: payload.triggerEventIds[i] };
      await this.jobs.retryAlone('event.dispatch', single);
    }
    return tally;
  }
}

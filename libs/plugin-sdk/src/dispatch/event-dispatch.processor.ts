import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { BatchCoalescer, BatchOutcome, JobPayloads, QUEUES, validateObject } from '@optline/core';
import { IsUUID } from 'class-validator';
import type { Job } from 'bull';
import { BatchTurns } from './batch-turns';
import { DispatchItem, EventDispatchService } from './event-dispatch.service';

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

  constructor(private readonly dispatcher: EventDispatchService) {}

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
}

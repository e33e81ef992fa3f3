import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { JobPayloads, QUEUES, validateObject } from '@optline/core';
import { IsUUID } from 'class-validator';
import type { Job } from 'bull';
import { EventDispatchService } from './event-dispatch.service';

class EventDispatchPayload implements Pick<JobPayloads['event.dispatch'], 'workspaceId' | 'triggerEventId'> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  triggerEventId: string;
}

/** Queue 'events', job 'event.dispatch': one stored trigger event to contacts, consent and flows. */
@Processor(QUEUES.events)
export class EventDispatchProcessor {
  private readonly logger = new Logger(EventDispatchProcessor.name);

  constructor(private readonly dispatcher: EventDispatchService) {}

  @Process({ name: 'event.dispatch', concurrency: 8 })
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
      return await this.dispatcher.dispatch(payload.workspaceId, payload.triggerEventId, finalAttempt);
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

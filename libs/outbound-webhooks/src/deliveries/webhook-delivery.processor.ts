import { Process, Processor } from '@nestjs/bull';
import { JobPayloads, QUEUES, validateObject } from '@optline/core';
import type { Job } from 'bull';
import { IsUUID } from 'class-validator';
import { WebhookAttempts } from './webhook-attempts.service';

class WebhookDeliverPayload implements Readonly<JobPayloads['webhook.deliver']> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  deliveryId: string;
}

/**
 * Runs 'webhook.deliver' jobs. An endpoint's failure is not the job's: it is recorded on the
 * delivery and retried by a new job on the webhook schedule. Only our own trouble (the database)
 * throws, for Bull's retry.
 */
@Processor(QUEUES.webhooks)
export class WebhookDeliveryProcessor {
  constructor(private readonly attempts: WebhookAttempts) {}

  @Process({ name: 'webhook.deliver', concurrency: 8 })
  async handle(job: Job<JobPayloads['webhook.deliver']>): Promise<void> {
    let payload: WebhookDeliverPayload;
    try {
      payload = validateObject(WebhookDeliverPayload, job.data);
    } catch (error) {
      await job.discard();
      throw error;
    }
    await this.attempts.attempt(payload.workspaceId, payload.deliveryId);
  }
}

import { Injectable } from '@nestjs/common';
import { AppConfig, Clock, JobQueue } from '@optline/core';
import { WebhookSubscriptions } from '../endpoints/webhook-subscriptions';
import { OutboundEvent } from '../events/webhook-event-types';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

/**
 * One event → one delivery row per subscribed endpoint (Postgres first), then one job each for
 * its first attempt. A lost job is re-armed from the row by the reconciler.
 */
@Injectable()
export class WebhookFanOut {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async listens(workspaceId: string, type: string): Promise<boolean> {
    return (await this.subscriptions.endpointsFor(workspaceId, type)).length > 0;
  }

  async deliver(workspaceId: string, event: OutboundEvent): Promise<void> {
    const endpointIds = await this.subscriptions.endpointsFor(workspaceId, event.type);
    if (endpointIds.length === 0) return;
    const now = this.clock.now();
    const ids = await this.deliveries.insertMany(
      endpointIds.map((endpointId) => ({
        workspaceId,
        endpointId,
        eventType: event.type,
        eventKey: event.key,
        payload: event.payload as unknown as Record<string, unknown>,
        maxAttempts: this.config.webhookRetryDelaysMs.length + 1,
        nextAttemptAt: now,
      })),
    );
    await this.jobs.enqueueMany('webhook.deliver', ids.map((deliveryId) => ({ workspaceId, deliveryId })), { attempt: 1 });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, JobQueue } from '@optline/core';
import { WebhookEndpointService } from '../endpoints/webhook-endpoint.service';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookSender } from './webhook-sender';

/**
 * One attempt of one delivery (the `webhook.deliver` job): claim the row, POST, record. A failed
 * attempt is retried by a new job at the next delay of WEBHOOK_RETRY_SCHEDULE; the last failed
 * attempt fails the delivery and counts against the endpoint, which is disabled when
 * WEBHOOK_DISABLE_AFTER deliveries in a row have failed.
 */
@Injectable()
export class WebhookAttempts {
  private readonly logger = new Logger(WebhookAttempts.name);

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointService,
    private readonly sender: WebhookSender,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async attempt(workspaceId: string, deliveryId: string): Promise<void> {
    const delivery = await this.deliveries.claim(workspaceId, deliveryId, this.clock.now());
    if (!delivery) return; // already done, or another worker has it
    const { endpoint, secret } = await this.endpoints.signingSecret(workspaceId, delivery.endpointId);
    if (!endpoint.enabled) {
      await this.deliveries.abandon(workspaceId, delivery.id, `not sent: the endpoint is disabled (${endpoint.disabledReason ?? 'no reason recorded'})`);
      return;
    }
    const result = await this.sender.send(endpoint.url, secret, delivery.id, delivery.payload);
    const { ok, ...attempt } = result;
    if (ok) {
      await this.deliveries.recordAttempt(delivery, attempt, { status: 'succeeded', nextAttemptAt: null });
      await this.endpoints.recordSuccess(workspaceId, endpoint.id);
      return;
    }
    const made = delivery.attempts + 1;
    if (made < delivery.maxAttempts) {
      const delays = this.config.webhookRetryDelaysMs;
      const now = this.clock.now();
      const next = new Date(now.getTime() + delays[Math.min(made - 1, delays.length - 1)]);
      await this.deliveries.recordAttempt(delivery, attempt, { status: 'pending', nextAttemptAt: next });
      await this.jobs.enqueue('webhook.deliver', { workspaceId, deliveryId: delivery.id }, { runAt: next, now, attempt: made + 1 });
      return;
    }
    await this.deliveries.recordAttempt(delivery, attempt, { status: 'failed', nextAttemptAt: null });
    await this.countFailure(delivery, attempt.error);
  }

  /** Sends a `webhook.test` event now, once, and answers the logged delivery (it does not count towards disabling). */
  async sendTest(workspaceId: string, endpointId: string, delivery: WebhookDelivery): Promise<void> {
    const { endpoint, secret } = await this.endpoints.signingSecret(workspaceId, endpointId);
    const { ok, ...attempt } = await this.sender.send(endpoint.url, secret, delivery.id, delivery.payload);
    await this.deliveries.recordAttempt(delivery, attempt, { status: ok ? 'succeeded' : 'failed', nextAttemptAt: null });
  }

  /** A finished delivery, once more: one attempt now (its retries are not repeated). */
  async replay(workspaceId: string, delivery: WebhookDelivery): Promise<boolean> {
    const now = this.clock.now();
    if (!(await this.deliveries.reopen(workspaceId, delivery.id, now))) return false;
    await this.jobs.enqueue('webhook.deliver', { workspaceId, deliveryId: delivery.id }, { attempt: `replay:${now.getTime()}`, now });
    return true;
  }

  private async countFailure(delivery: WebhookDelivery, lastError: string | null): Promise<void> {
    const limit = this.config.WEBHOOK_DISABLE_AFTER;
    const reason = `Disabled after ${limit} ${limit === 1 ? 'delivery' : 'deliveries'} in a row failed every attempt (last: ${lastError ?? 'unknown error'})`;
    if (await this.endpoints.recordFinalFailure(delivery.workspaceId, delivery.endpointId, limit, reason.slice(0, 500))) {
      this.logger.warn({ workspaceId: delivery.workspaceId, endpointId: delivery.endpointId, reason }, 'webhook endpoint disabled');
    }
  }
}

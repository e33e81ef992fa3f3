import { Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock, JobQueue, Metrics, PeriodicTask } from '@optline/core';
import { WebhookDeliveryProcessor } from './deliveries/webhook-delivery.processor';
import { WebhookDeliveryRepository } from './deliveries/webhook-delivery.repository';
import { OutboundWebhooksModule } from './outbound-webhooks.module';

/** A delivery due this long ago without its job having run is re-armed. */
const OVERDUE_GRACE_MS = 2 * 60_000;

/**
 * Worker processes deliver (the `webhooks` queue) and re-arm deliveries whose job was lost (law 3:
 * the row says when the next attempt is due; Redis only holds the wake-up).
 */
@Module({ imports: [OutboundWebhooksModule], providers: [WebhookDeliveryProcessor] })
export class OutboundWebhooksWorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {
    this.task = new PeriodicTask('webhook-reconciler', 60_000, () => this.reconcile());
  }

  /** One pass: re-arms deliveries due for more than two minutes (or stuck sending) without a job. Answers how many. */
  async reconcile(): Promise<number> {
    const now = this.clock.now();
    const overdue = await this.deliveries.overdue(now, OVERDUE_GRACE_MS, 500);
    for (const d of overdue) {
      await this.jobs.enqueue('webhook.deliver', { workspaceId: d.workspaceId, deliveryId: d.id }, { attempt: `rearm:${now.getTime()}`, now });
    }
    this.metrics.rearmed.inc({ reconciler: 'webhooks' }, overdue.length);
    return overdue.length;
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}

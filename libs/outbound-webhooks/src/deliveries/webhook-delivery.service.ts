import { Injectable } from '@nestjs/common';
import { Clock, DomainError, NotFoundError } from '@optline/core';
import { randomUUID } from 'node:crypto';
import { WebhookEndpointService } from '../endpoints/webhook-endpoint.service';
import { TEST_EVENT_TYPE, WebhookPayload } from '../events/webhook-event-types';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookAttempts } from './webhook-attempts.service';

/** The delivery log as people use it: list, replay, send a test. */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointService,
    private readonly attempts: WebhookAttempts,
    private readonly clock: Clock,
  ) {}

  async page(workspaceId: string, endpointId: string, options: { status?: DeliveryStatus; before?: Date; limit: number }): Promise<WebhookDelivery[]> {
    await this.endpoints.get(workspaceId, endpointId);
    return this.deliveries.page(workspaceId, endpointId, options);
  }

  async get(workspaceId: string, endpointId: string, id: string): Promise<WebhookDelivery> {
    const delivery = await this.deliveries.find(workspaceId, id);
    if (!delivery || delivery.endpointId !== endpointId) throw new NotFoundError('Webhook delivery', id);
    return delivery;
  }

  async replay(workspaceId: string, endpointId: string, id: string): Promise<WebhookDelivery> {
    await this.endpoints.assertEnabled(workspaceId, endpointId);
    const delivery = await this.get(workspaceId, endpointId, id);
    if (!(await this.attempts.replay(workspaceId, delivery))) {
      throw new DomainError('conflict', 'delivery_in_progress', 'This delivery is still being attempted; replay it once it has succeeded or failed');
    }
    return this.get(workspaceId, endpointId, id);
  }

  /** POSTs a `webhook.test` event to the endpoint now and answers how it went. */
  async sendTest(workspaceId: string, endpointId: string): Promise<WebhookDelivery> {
    await this.endpoints.get(workspaceId, endpointId);
    const payload: WebhookPayload = {
      type: TEST_EVENT_TYPE,
      timestamp: this.clock.now().toISOString(),
      workspaceId,
      data: { message: 'A test event from Optline: your endpoint received and can verify it.' },
    };
    const [id] = await this.deliveries.insertMany([
      { workspaceId, endpointId, eventType: TEST_EVENT_TYPE, eventKey: `${TEST_EVENT_TYPE}:${randomUUID()}`, payload: payload as unknown as Record<string, unknown>, maxAttempts: 1, nextAttemptAt: this.clock.now() },
    ]);
    const claimed = await this.deliveries.claim(workspaceId, id, this.clock.now());
    await this.attempts.sendTest(workspaceId, endpointId, claimed!);
    return this.get(workspaceId, endpointId, id);
  }
}

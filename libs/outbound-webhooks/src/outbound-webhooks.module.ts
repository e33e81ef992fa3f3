import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookAttempts } from './deliveries/webhook-attempts.service';
import { WebhookDelivery } from './deliveries/webhook-delivery.entity';
import { WebhookDeliveryRepository } from './deliveries/webhook-delivery.repository';
import { WebhookDeliveryService } from './deliveries/webhook-delivery.service';
import { WebhookFanOut } from './deliveries/webhook-fan-out.service';
import { WebhookSender } from './deliveries/webhook-sender';
import { WebhookEndpoint } from './endpoints/webhook-endpoint.entity';
import { WebhookEndpointRepository } from './endpoints/webhook-endpoint.repository';
import { WebhookEndpointService } from './endpoints/webhook-endpoint.service';
import { WebhookSubscriptions } from './endpoints/webhook-subscriptions';
import { WebhookEventsListener } from './events/webhook-events.listener';

/**
 * Outbound event webhooks without HTTP: endpoints, the delivery log, and the listener that turns
 * domain events into deliveries. Loaded by the API and worker modules alike (events happen in
 * both kinds of process), instantiated once per process.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery])],
  providers: [
    WebhookEndpointRepository,
    WebhookDeliveryRepository,
    WebhookSubscriptions,
    WebhookEndpointService,
    WebhookSender,
    WebhookAttempts,
    WebhookDeliveryService,
    WebhookFanOut,
    WebhookEventsListener,
  ],
  exports: [WebhookEndpointService, WebhookDeliveryService, WebhookAttempts, WebhookDeliveryRepository],
})
export class OutboundWebhooksModule {}

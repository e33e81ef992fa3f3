import { Module } from '@nestjs/common';
import { WebhookEndpointsController } from './http/webhook-endpoints.controller';
import { OutboundWebhooksModule } from './outbound-webhooks.module';

/** The HTTP surface: /v1/webhook-endpoints. */
@Module({ imports: [OutboundWebhooksModule], controllers: [WebhookEndpointsController] })
export class OutboundWebhooksApiModule {}

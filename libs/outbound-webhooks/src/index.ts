export * from './outbound-webhooks.module';
export * from './outbound-webhooks-api.module';
export * from './outbound-webhooks-worker.module';
export { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_TYPE_NAMES, TEST_EVENT_TYPE, type WebhookEventType, type WebhookPayload } from './events/webhook-event-types';
export { webhookIdOf } from './deliveries/webhook-sender';

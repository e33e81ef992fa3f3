import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES, DeliveryStatus } from '../deliveries/webhook-delivery.entity';
import { WEBHOOK_EVENT_TYPE_NAMES } from '../events/webhook-event-types';

export class WebhookEndpointResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://helpdesk.example.com/hooks/optline' })
  url!: string;

  @ApiProperty({ example: 'Helpdesk: opt-outs and replies' })
  description!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPE_NAMES, isArray: true })
  eventTypes!: string[];

  @ApiProperty({ description: 'false once disabled (by a person, or by the hub after repeated failure)' })
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'Disabled after 5 deliveries in a row failed every attempt (last: HTTP 500)' })
  disabledReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt!: Date | null;

  @ApiProperty({ description: 'Deliveries in a row that failed every attempt' })
  failedInARow!: number;

  @ApiProperty({ description: 'The last four characters of the signing secret', example: 'x9Q=' })
  secretHint!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: Date;
}

export class WebhookEndpointWithSecretResponseDto extends WebhookEndpointResponseDto {
  @ApiProperty({ description: 'The signing secret (Standard Webhooks, whsec_…). Shown only now: store it in the receiver.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
}

export class WebhookEventTypeDto {
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPE_NAMES })
  type!: string;

  @ApiProperty({ example: 'An inbound text arrived (after keyword handling), with its body.' })
  description!: string;
}

export class WebhookAttemptDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The HTTP status answered; null when there was no answer' })
  responseStatus!: number | null;

  @ApiProperty()
  latencyMs!: number;

  @ApiProperty({ type: String, nullable: true, example: 'HTTP 500: upstream unavailable' })
  error!: string | null;
}

export class WebhookDeliveryResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  endpointId!: string;

  @ApiProperty({ description: 'The webhook-id header: the same on every retry and replay', example: 'msg_3f0c1a525a534a0b9d2c2f7a4b1b9e10' })
  webhookId!: string;

  @ApiProperty({ example: 'consent.changed', description: 'An event type, or webhook.test' })
  eventType!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;

  @ApiProperty()
  attempts!: number;

  @ApiProperty()
  maxAttempts!: number;

  @ApiProperty({ type: Number, nullable: true })
  responseStatus!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  latencyMs!: number | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next retry is due (pending deliveries)' })
  nextAttemptAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt!: Date | null;

  @ApiProperty({ type: WebhookAttemptDto, isArray: true, description: 'The latest attempts, oldest first' })
  attemptLog!: WebhookAttemptDto[];

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The JSON body sent: { type, timestamp, workspaceId, data }' })
  payload!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: Date;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from '../deliveries/webhook-delivery.entity';
import { WEBHOOK_EVENT_TYPE_NAMES } from '../events/webhook-event-types';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const EVENT_TYPES_MESSAGE = `each of eventTypes must be one of ${WEBHOOK_EVENT_TYPE_NAMES.join(', ')}`;

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://helpdesk.example.com/hooks/optline', description: 'Where events are POSTed (http or https)' })
  @IsUrl(URL_OPTIONS, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url: string;

  @ApiPropertyOptional({ example: 'Helpdesk: opt-outs and replies', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPE_NAMES, isArray: true, example: ['consent.changed', 'message.received'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'eventTypes must name at least one event type' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPE_NAMES.length)
  @IsIn(WEBHOOK_EVENT_TYPE_NAMES, { each: true, message: EVENT_TYPES_MESSAGE })
  eventTypes: string[];
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ example: 'https://helpdesk.example.com/hooks/optline' })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPE_NAMES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'eventTypes must name at least one event type' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPE_NAMES.length)
  @IsIn(WEBHOOK_EVENT_TYPE_NAMES, { each: true, message: EVENT_TYPES_MESSAGE })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: 'true enables a disabled endpoint (its failure count starts again); false disables it' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class EndpointDeliveryParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'deliveryId must be a UUID' })
  deliveryId: string;
}

export class DeliveryQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'cursor must be the nextCursor of a previous page' })
  cursor?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;
}

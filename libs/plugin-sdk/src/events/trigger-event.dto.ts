import { CursorPageQueryDto } from '@optline/core';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { CANONICAL_EVENT_TYPES } from '../contract/canonical-events';
import { TRIGGER_EVENT_STATUSES } from './trigger-event.entity';
import type { TriggerEvent, TriggerEventStatus } from './trigger-event.entity';
import type { TriggerEventResponseDto } from './trigger-event.responses';

export class ListTriggerEventsQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ enum: CANONICAL_EVENT_TYPES, example: 'form.submitted' })
  @IsOptional()
  @IsIn(CANONICAL_EVENT_TYPES)
  type?: string;

  @ApiPropertyOptional({ enum: TRIGGER_EVENT_STATUSES, example: 'processed' })
  @IsOptional()
  @IsIn(TRIGGER_EVENT_STATUSES)
  status?: TriggerEventStatus;

  @ApiPropertyOptional({ example: 'web-forms' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'pluginId must be a plugin id such as "shopify"' })
  pluginId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  installationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  contactId?: string;

}

export function presentTriggerEvent(event: TriggerEvent): TriggerEventResponseDto {
  return {
    id: event.id,
    type: event.type,
    pluginId: event.pluginId,
    installationId: event.installationId,
    dedupeKey: event.dedupeKey,
    status: event.status,
    contactId: event.contactId,
    correlation: event.correlation,
    data: event.payload,
    outcome: event.outcome,
    replayCount: event.replayCount,
    occurredAt: event.occurredAt,
    receivedAt: event.receivedAt,
    processedAt: event.processedAt,
  };
}

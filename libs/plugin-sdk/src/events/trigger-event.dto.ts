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

export const TRIGGER_EVENT_EXAMPLE = {
  id: '0b7e5f1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b',
  type: 'form.submitted',
  pluginId: 'web-forms',
  installationId: '5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11',
  dedupeKey: 'submission:8d1c0f3e',
  status: 'processed',
  contactId: '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa',
  correlation: { formId: 'newsletter' },
  data: { formKey: 'newsletter', consentChecked: true, fields: { firstName: 'Ada' } },
  outcome: {
    contact: { id: '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa', created: true },
    consent: { recorded: ['marketing'], state: 'pending' },
    consumers: { flows: { started: ['c1f0…'], ended: [] } },
  },
  replayCount: 0,
  occurredAt: '2026-11-22T09:12:00.000Z',
  receivedAt: '2026-11-22T09:12:00.120Z',
  processedAt: '2026-11-22T09:12:00.300Z',
};

import { ApiProperty } from '@nestjs/swagger';
import { TRIGGER_EVENT_STATUSES, TriggerEventOutcome } from './trigger-event.entity';

export class TriggerEventResponseDto {
  @ApiProperty({ format: 'uuid', example: '0b7e5f1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b' })
  id!: string;

  @ApiProperty({ description: 'A canonical event type', example: 'form.submitted' })
  type!: string;

  @ApiProperty({ example: 'web-forms' })
  pluginId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  installationId!: string | null;

  @ApiProperty({ example: 'submission:8d1c0f3e' })
  dedupeKey!: string;

  @ApiProperty({ enum: TRIGGER_EVENT_STATUSES })
  status!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contactId!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { formId: 'newsletter' } })
  correlation!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The canonical event payload' })
  data!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What processing did: contact, consent, consumers (flows started or ended), errors, replays',
    example: { contact: { id: '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa', created: true }, consent: { recorded: ['marketing'], state: 'pending' }, consumers: { flows: { started: [], ended: [] } } },
  })
  outcome!: TriggerEventOutcome;

  @ApiProperty({ example: 0 })
  replayCount!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  receivedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  processedAt!: Date | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MESSAGE_STATUSES, MessageOrigin } from '../message/message.entity';

const OUTCOMES = ['pass', 'block', 'defer', 'hold', 'fail'];
const SYSTEM_KINDS = ['stop_confirmation', 'help', 'start_confirmation', 'opt_in_confirmation', 'opt_in_request'];

/** One policy's answer for a message (or a check). */
export class PolicyDecisionDto {
  @ApiProperty({ example: 'quiet_hours' })
  policy!: string;

  @ApiProperty({ enum: OUTCOMES })
  outcome!: string;

  @ApiProperty({ description: 'A stable code: opted_out, quiet_hours, frequency_cap…', example: 'inside_window' })
  reason!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'defer: the next allowed instant' })
  until?: Date | string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { zones: ['America/New_York'], zoneSource: 'phone_exchange', stateRule: 'FL' } })
  detail?: Record<string, unknown>;
}

export class MessageOriginDto implements MessageOrigin {
  @ApiPropertyOptional({ format: 'uuid' }) flowRunId?: string;
  @ApiPropertyOptional() stepId?: string;
  @ApiPropertyOptional() campaignId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) conversationId?: string;
  @ApiPropertyOptional({ description: 'Inbound: the keyword family the text was read as; outbound system: the keyword answered' }) keyword?: string;
  @ApiPropertyOptional({ enum: SYSTEM_KINDS }) systemKind?: MessageOrigin['systemKind'];
  @ApiPropertyOptional({ format: 'uuid', description: 'A reply: the inbound message it answers' }) inReplyTo?: string;
  @ApiPropertyOptional({ format: 'uuid' }) apiKeyId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) userId?: string;
  @ApiPropertyOptional({ description: 'Inbound: flagged for a human (a keyword inside a sentence)' }) flagForReview?: boolean;
  @ApiPropertyOptional({ description: "System replies: which of the workspace's texts was used" }) textKey?: string;
  @ApiPropertyOptional({ description: 'An opt-in request sent because the person wrote after opting out' }) reoptIn?: boolean;
  @ApiPropertyOptional({ description: 'Tracing on: the W3C traceparent its hand-off span continues (find the trace by its id)', example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })
  trace?: string;
}

export class MessageLinkDto {
  @ApiProperty({ example: 'aB3dE5fG' })
  code!: string;

  @ApiProperty({ format: 'uri', example: 'https://acme.test/sale' })
  url!: string;

  @ApiProperty({ example: 2 })
  clicks!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstClickedAt!: Date | null;
}

export class MessageResponseDto {
  @ApiProperty({ format: 'uuid', example: '9b2f6f7e-8d1c-4c55-a3b0-6f3c2d1e0a9b' })
  id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contactId!: string | null;

  @ApiProperty({ enum: ['outbound', 'inbound'] })
  direction!: string;

  @ApiProperty({ enum: ['marketing', 'transactional', 'conversational', 'system'] })
  type!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Masked in the log', example: '+1305•••0123' })
  phone!: string | null;

  @ApiProperty({ example: 'Acme: 20% off today only.\nReply STOP to opt out.' })
  body!: string;

  @ApiProperty({ example: 1 })
  segments!: number;

  @ApiProperty({ enum: ['GSM-7', 'UCS-2'] })
  encoding!: string;

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was blocked, deferred, held or failed', example: 'quiet_hours' })
  reason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deferredUntil!: Date | null;

  @ApiProperty({ example: 'campaign:spring:0b6c1f0e' })
  idempotencyKey!: string;

  @ApiProperty({ type: MessageOriginDto })
  origin!: MessageOriginDto;

  @ApiProperty({ type: String, nullable: true, example: 'twilio' })
  provider!: string | null;

  @ApiProperty({ type: String, nullable: true })
  providerMessageId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  errorCode!: string | null;

  @ApiProperty({ type: PolicyDecisionDto, isArray: true, description: 'Every policy decision, in order' })
  policies!: PolicyDecisionDto[];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  handedOffAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: Date | null;

  @ApiPropertyOptional({ type: MessageLinkDto, isArray: true, description: 'Its branded links (one message)' })
  links?: MessageLinkDto[];
}

export class ZoneResolutionDto {
  @ApiProperty({ type: String, isArray: true, example: ['America/New_York'] })
  zones!: string[];

  @ApiProperty({ enum: ['contact', 'phone_exchange', 'workspace', 'workspace_unknown_number'] })
  source!: 'contact' | 'phone_exchange' | 'workspace' | 'workspace_unknown_number';
}

export class MessageCheckResponseDto {
  @ApiProperty({ description: 'Would it be sent now' })
  allowed!: boolean;

  @ApiProperty({ enum: OUTCOMES, description: 'What would happen if it were sent now' })
  outcome!: string;

  @ApiProperty({ description: 'The deciding policy (the last one when all pass)', example: 'consent' })
  policy!: string;

  @ApiProperty({ example: 'no_consent' })
  reason!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'defer: when it would go out' })
  until!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contactId!: string | null;

  @ApiProperty({ type: ZoneResolutionDto })
  zone!: ZoneResolutionDto;

  @ApiProperty({ type: String, nullable: true, description: 'US state whose stricter rules apply', example: 'FL' })
  region!: string | null;

  @ApiProperty({ type: PolicyDecisionDto, isArray: true })
  policies!: PolicyDecisionDto[];
}

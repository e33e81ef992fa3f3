import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONSENT_SOURCES, CONSENT_STATES, ConsentMessageType, ConsentState } from '../consent.types';
import type { TypeState } from '../ledger/consent-query.service';

const MESSAGE_TYPES = ['marketing', 'transactional', 'conversational'];

export class DisclosureResponseDto {
  @ApiProperty({ format: 'uuid', example: '0d5e1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  id!: string;

  @ApiProperty({ example: 3 })
  version!: number;

  @ApiProperty({ example: 'By checking this box you agree to receive recurring automated marketing texts from Acme Alerts… Reply HELP for help, STOP to cancel.' })
  text!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

/** One entry of the consent ledger (a consent change, or a change of the suppression list). */
export class ConsentEntryResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Position in the workspace’s hash chain', example: 42 })
  seq!: number;

  @ApiProperty({ enum: ['consent', 'suppression_added', 'suppression_removed'] })
  kind!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contactId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'null once the contact was erased', example: '+14155550100' })
  phone!: string | null;

  @ApiProperty({ description: 'Keyed hash of the phone (kept after erasure)' })
  phoneHash!: string;

  @ApiProperty({ type: String, enum: MESSAGE_TYPES, nullable: true })
  messageType!: string | null;

  @ApiProperty({ type: String, enum: CONSENT_STATES, nullable: true })
  state!: string | null;

  @ApiProperty({ enum: CONSENT_SOURCES })
  source!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'How: keyword text, form and page URL, IP, user agent…', example: { formId: 'footer-signup', ip: '203.0.113.9' } })
  evidence!: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  disclosureId!: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The disclosure version shown (in histories)' })
  disclosureVersion?: number | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  flowId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  campaignId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Who made the change (api_key:<id>, user:<id>, agent…)' })
  actor!: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the act happened' })
  occurredAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it was recorded' })
  recordedAt!: Date;

  @ApiProperty()
  prevHash!: string;

  @ApiProperty()
  hash!: string;
}

export class ConsentTypeStateDto implements TypeState {
  @ApiProperty({ enum: CONSENT_STATES })
  state!: ConsentState;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the act that set it occurred; null when nothing was recorded' })
  since!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  eventId!: string | null;
}

export class ConsentStatesDto implements Record<ConsentMessageType, ConsentTypeStateDto> {
  @ApiProperty({ type: ConsentTypeStateDto })
  marketing!: ConsentTypeStateDto;

  @ApiProperty({ type: ConsentTypeStateDto })
  transactional!: ConsentTypeStateDto;

  @ApiProperty({ type: ConsentTypeStateDto })
  conversational!: ConsentTypeStateDto;
}

export class ContactConsentResponseDto {
  @ApiProperty({ format: 'uuid' })
  contactId!: string;

  @ApiProperty({ type: ConsentStatesDto })
  states!: ConsentStatesDto;

  @ApiProperty({ type: ConsentEntryResponseDto, isArray: true, description: 'Newest first' })
  history!: ConsentEntryResponseDto[];
}

export class RecordedConsentResponseDto {
  @ApiProperty({ type: ConsentEntryResponseDto, isArray: true, description: 'One entry per message type changed' })
  entries!: ConsentEntryResponseDto[];

  @ApiProperty({ type: ConsentStatesDto })
  states!: ConsentStatesDto;
}

export class ChainHeadDto {
  @ApiProperty({ example: '1204' })
  seq!: string;

  @ApiProperty()
  hash!: string;
}

export class ChainBreakDto {
  @ApiProperty({ example: '17' })
  seq!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  id!: string | null;

  @ApiProperty({ enum: ['missing_entry', 'prev_hash_mismatch', 'hash_mismatch', 'phone_mismatch'] })
  reason!: 'missing_entry' | 'prev_hash_mismatch' | 'hash_mismatch' | 'phone_mismatch';

  @ApiProperty({ example: 'the content of this entry does not match its hash: it was changed after it was written' })
  message!: string;
}

export class ChainVerificationResponseDto {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ description: 'Entries read', example: 1204 })
  entries!: number;

  @ApiProperty({ type: ChainHeadDto, nullable: true, description: 'The last entry: publish it elsewhere to make truncation detectable' })
  head!: ChainHeadDto | null;

  @ApiProperty({ type: ChainBreakDto, nullable: true })
  firstBroken!: ChainBreakDto | null;
}

export class ConsentAtResponseDto {
  @ApiProperty({ example: '+14155550100' })
  phone!: string;

  @ApiProperty({ enum: MESSAGE_TYPES })
  type!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  at!: Date;

  @ApiProperty({ enum: CONSENT_STATES })
  state!: string;

  @ApiProperty({ type: ConsentEntryResponseDto, nullable: true, description: 'The entry that established the state; null when nothing was recorded before `at`' })
  establishedBy!: ConsentEntryResponseDto | null;

  @ApiProperty({ description: 'On the suppression list at that instant' })
  suppressed!: boolean;

  @ApiProperty({ type: ConsentEntryResponseDto, nullable: true })
  suppressionEntry!: ConsentEntryResponseDto | null;
}

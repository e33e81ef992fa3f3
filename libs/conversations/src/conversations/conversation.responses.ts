import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EntryView } from './entry.presenter';

const DIRECTIONS = ['inbound', 'outbound', 'notice'];
const CONSENT_STATES = ['opted_in', 'opted_out', 'pending', 'none'];

export class ConversationContactDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '+14155550123', description: 'Absent when the contact could not be read' })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Sam' })
  firstName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  lastName?: string | null;
}

export class ConversationAgentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Dana Reyes' })
  displayName!: string;
}

export class ConversationConsentDto {
  @ApiProperty({ enum: CONSENT_STATES })
  conversational!: string;

  @ApiProperty({ enum: CONSENT_STATES })
  marketing!: string;

  @ApiProperty({ enum: CONSENT_STATES })
  transactional!: string;
}

export class ConversationLastMessageDto {
  @ApiProperty({ enum: DIRECTIONS })
  direction!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Hi Sam, your glasses are ready for pick-up.' })
  preview!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  at!: Date;
}

export class ConversationResponseDto {
  @ApiProperty({ format: 'uuid', example: '0b6e3c2a-91d4-4f3e-8a77-1c2d3e4f5a6b' })
  id!: string;

  @ApiProperty({ type: ConversationContactDto })
  contact!: ConversationContactDto;

  @ApiProperty({ type: ConversationAgentDto, nullable: true, description: 'null: the team inbox' })
  agent!: ConversationAgentDto | null;

  @ApiProperty({ description: 'In the team inbox (no agent)' })
  team!: boolean;

  @ApiProperty({ type: ConversationConsentDto })
  consent!: ConversationConsentDto;

  @ApiProperty({ description: 'An opt-in request was sent and no YES came yet' })
  awaitingOptIn!: boolean;

  @ApiProperty({ type: ConversationLastMessageDto, nullable: true })
  lastMessage!: ConversationLastMessageDto | null;

  @ApiProperty({ example: 0 })
  unreadCount!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastReadAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

/** One timeline item (a text either way, an automatic text, or a notice to staff). */
export class ConversationEntryResponseDto implements EntryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  conversationId!: string;

  @ApiProperty({ enum: DIRECTIONS })
  direction!: EntryView['direction'];

  @ApiProperty({ enum: ['agent', 'client', 'opt_in_request', 'disclaimer', 'keyword_reply', 'notice', 'other'] })
  role!: EntryView['role'];

  @ApiProperty({ type: String, nullable: true, description: "null while a client's text is held for YES", example: 'Hi Sam, your glasses are ready for pick-up.' })
  body!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The message's status (held, queued, sent, delivered, blocked, received…); null for a notice", example: 'held' })
  status!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'awaiting_opt_in' })
  reason!: string | null;

  @ApiProperty()
  held!: boolean;

  @ApiProperty()
  blocked!: boolean;

  @ApiProperty({ type: String, nullable: true })
  noticeCode!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Dana Reyes' })
  senderName!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  agentId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  messageId!: string | null;

  @ApiProperty({ description: 'A reply a waiting flow took (it still shows here)' })
  consumedByFlow!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  flowRunId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class StartedConversationResponseDto {
  @ApiProperty({ type: ConversationResponseDto })
  conversation!: ConversationResponseDto;

  @ApiProperty({ description: 'false when the conversation already existed' })
  created!: boolean;

  @ApiProperty({ type: ConversationEntryResponseDto, nullable: true, description: 'The first text, when one was sent' })
  message!: ConversationEntryResponseDto | null;
}

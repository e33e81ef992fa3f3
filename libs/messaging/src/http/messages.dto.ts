import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateInAcceptedRange } from '@optline/core';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MESSAGE_STATUSES, MessageStatus, SYSTEM_MESSAGE_KINDS, SystemMessageKind } from '../message/message.entity';

const API_TYPES = ['marketing', 'transactional', 'conversational'] as const;

export class SendMessageDto {
  @ApiPropertyOptional({ example: '+13055550123', description: 'The recipient (any written form; read with the workspace country). Or contactId.' })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '0b6c1f0e-3a8e-4d8e-9c1a-2f0a3c4d5e6f' })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiProperty({ enum: API_TYPES, example: 'transactional' })
  @IsIn(API_TYPES as unknown as string[])
  type: (typeof API_TYPES)[number];

  @ApiPropertyOptional({ example: 'Your order 1042 has shipped.', description: 'A literal text. Or template.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1600)
  body?: string;

  @ApiPropertyOptional({ example: 'Hi {{ contact.firstName | default: "there" }}, your cart: {{ cartUrl | link }}', description: 'Liquid (strict) over contact, workspace and data' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  template?: string;

  @ApiPropertyOptional({ example: { cartUrl: 'https://acme.test/cart/abc' } })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ example: '2026-11-21T15:00:00Z', description: 'Earliest send time; the policies still run then' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'notBefore must be an ISO 8601 date-time' })
  @IsDateInAcceptedRange()
  notBefore?: Date;
}

export class CheckMessageDto {
  @ApiPropertyOptional({ example: '+13055550123', description: 'A phone (need not be a contact yet). Or contactId.' })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '0b6c1f0e-3a8e-4d8e-9c1a-2f0a3c4d5e6f' })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiProperty({ enum: ['marketing', 'transactional', 'conversational', 'system'], example: 'marketing' })
  @IsIn(['marketing', 'transactional', 'conversational', 'system'])
  type: 'marketing' | 'transactional' | 'conversational' | 'system';

  @ApiPropertyOptional({ enum: SYSTEM_MESSAGE_KINDS, example: 'help', description: 'For type system: which system text' })
  @IsOptional()
  @IsIn(SYSTEM_MESSAGE_KINDS)
  systemKind?: SystemMessageKind;
}

export class ListMessagesQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'contactId must be a UUID' })
  contactId?: string;

  @ApiPropertyOptional({ enum: MESSAGE_STATUSES, example: 'blocked' })
  @IsOptional()
  @IsIn(MESSAGE_STATUSES as unknown as string[])
  status?: MessageStatus;

  @ApiPropertyOptional({ example: 'opted_out' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reason?: string;

  @ApiPropertyOptional({ enum: ['outbound', 'inbound'] })
  @IsOptional()
  @IsIn(['outbound', 'inbound'])
  direction?: 'outbound' | 'inbound';

  @ApiPropertyOptional({ enum: ['marketing', 'transactional', 'conversational', 'system'] })
  @IsOptional()
  @IsIn(['marketing', 'transactional', 'conversational', 'system'])
  type?: string;

  @ApiPropertyOptional({ description: 'Origin: a flow run id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  flowRunId?: string;

  @ApiPropertyOptional({ description: 'Origin: a campaign id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  campaignId?: string;

  @ApiPropertyOptional({ description: 'Origin: a conversation id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  conversationId?: string;

  @ApiPropertyOptional({ example: '2026-11-20T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be an ISO 8601 date-time' })
  @IsDateInAcceptedRange()
  since?: Date;

  @ApiPropertyOptional({ example: '2026-11-21T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an ISO 8601 date-time' })
  @IsDateInAcceptedRange()
  until?: Date;

  @ApiPropertyOptional({ example: 50, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

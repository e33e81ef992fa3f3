import { CursorPageQueryDto } from '@optline/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class ListConversationsQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ example: '5d7c9a10-3f1e-4c39-9a55-0c7d2b7e8f11', description: 'Only this agent\'s conversations, or "team" for the team inbox' })
  @IsOptional()
  @Matches(/^(team|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'agentId must be an agent id or "team"' })
  agentId?: string;

  @ApiPropertyOptional({
    enum: ['mine', 'unassigned', 'awaiting_opt_in', 'opted_out'],
    description: "mine: the calling agent's; unassigned: the team inbox; awaiting_opt_in: a request was sent and no YES came; opted_out: the contact opted out of conversational texts",
  })
  @IsOptional()
  @IsIn(['mine', 'unassigned', 'awaiting_opt_in', 'opted_out'], { message: 'filter must be one of mine, unassigned, awaiting_opt_in, opted_out' })
  filter?: 'mine' | 'unassigned' | 'awaiting_opt_in' | 'opted_out';

  @ApiPropertyOptional({ example: 'Sam', description: "Part of the contact's name or phone number" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}

/** Entries page backwards: the cursor leads to older entries. */
export class ListEntriesQueryDto extends CursorPageQueryDto {}

export class StartConversationDto {
  @ApiProperty({ example: '+14155550123', description: 'The contact to text; any format the workspace country reads' })
  @IsString()
  @MinLength(3)
  @MaxLength(32)
  phone: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, example: null, description: 'Owner of a new conversation: an agent, or null for the team inbox (default: the calling agent)' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'agentId must be a UUID or null' })
  agentId?: string | null;

  @ApiPropertyOptional({ example: 'Hi Sam, your glasses are ready for pick-up.', description: 'A first text to send (needs an Idempotency-Key header)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1600)
  body?: string;
}

export class SendConversationMessageDto {
  @ApiProperty({ example: 'Hi Sam, your glasses are ready for pick-up.' })
  @IsString()
  @MinLength(1)
  @MaxLength(1600)
  body: string;
}

export class AssignConversationDto {
  @ApiProperty({ format: 'uuid', nullable: true, example: '5d7c9a10-3f1e-4c39-9a55-0c7d2b7e8f11', description: 'The agent to own it, or null for the team inbox' })
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'agentId must be a UUID or null' })
  agentId: string | null;
}

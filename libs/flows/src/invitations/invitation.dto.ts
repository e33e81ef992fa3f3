import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

/** POST /v1/contacts/:id/invite: which opt-in flow, and the group the contact is invited from. */
export class InviteContactDto {
  @ApiPropertyOptional({ format: 'uuid', example: '6c1f3f2e-3c1b-4a57-9b0e-2f1d5a7c9e11', description: 'The active opt-in flow (or give flowKey)' })
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be a UUID' })
  flowId?: string;

  @ApiPropertyOptional({ example: 'optin-website-double', description: 'The built-in template the active opt-in flow was made from (or give flowId)' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'flowKey must be a template key such as "optin-website-double"' })
  flowKey?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The group the contact is invited from: YES or N/STOP removes them from it, no answer leaves them in it' })
  @IsOptional()
  @IsUUID('all', { message: 'groupId must be a UUID' })
  groupId?: string;
}

export class InvitedByDto {
  @ApiProperty({ example: 'api_key:0f3a6c1e-8b2d-4c5e-9f7a-1b2c3d4e5f60', description: 'Who clicked Invite, as ledgers record it' })
  actor: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  apiKeyId: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  userId: string | null;
}

/** What an invitation did: the run that sends the one opt-in request, and who asked for it. */
export class OptInInvitationDto {
  @ApiProperty({ format: 'uuid' })
  runId: string;

  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty({ format: 'uuid' })
  contactId: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  groupId: string | null;

  @ApiProperty({ type: InvitedByDto })
  invitedBy: InvitedByDto;

  @ApiProperty({ example: '2026-11-27T14:00:00.000Z' })
  invitedAt: string;

  @ApiProperty({ example: ['marketing'], description: 'The types now pending (recorded in the consent ledger with the invitation as evidence)' })
  pendingTypes: string[];
}

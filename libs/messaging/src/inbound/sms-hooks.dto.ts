import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class WorkspaceParamDto {
  @ApiProperty({ format: 'uuid', example: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  @IsUUID('all', { message: 'workspaceId must be a UUID' })
  workspaceId: string;
}

/** The generic inbound JSON (`http` provider), signed with X-Optline-Signature. */
export class HttpInboundSmsDto {
  @ApiProperty({ example: 'carrier-msg-81723', description: "The carrier's id of the text (dedupe key)" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id: string;

  @ApiProperty({ example: '+13055550123' })
  @IsString()
  @MinLength(3)
  @MaxLength(40)
  from: string;

  @ApiPropertyOptional({ example: '+13055550100' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiProperty({ example: 'STOP' })
  @IsString()
  @MaxLength(1600)
  body: string;
}

export class HttpStatusDto {
  @ApiProperty({ example: 'carrier-msg-81723', description: "The carrier's id, as answered to our POST" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id: string;

  @ApiProperty({ enum: ['sent', 'delivered', 'undelivered', 'failed'], example: 'delivered' })
  @IsIn(['sent', 'delivered', 'undelivered', 'failed'])
  status: 'sent' | 'delivered' | 'undelivered' | 'failed';

  @ApiPropertyOptional({ example: 'invalid_number', description: '`opt_out` and `invalid_number` act on consent / suppression' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  errorCode?: string;
}

/**
 * The fields of Twilio's inbound form that we read (Twilio sends many more, which are dropped).
 * Twilio's Body is at most 1,600 characters; a longer one did not come from Twilio.
 */
export class TwilioInboundFormDto {
  @IsString()
  @MinLength(1, { message: 'MessageSid is required' })
  @MaxLength(64)
  MessageSid: string;

  @IsString()
  @MinLength(1, { message: 'From is required' })
  @MaxLength(40)
  From: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  To?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1600)
  Body?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  OptOutType?: string;
}

/** The fields of Twilio's status callback form that we read. */
export class TwilioStatusFormDto {
  @IsString()
  @MinLength(1, { message: 'MessageSid is required' })
  @MaxLength(64)
  MessageSid: string;

  @IsString()
  @MinLength(1, { message: 'MessageStatus is required' })
  @MaxLength(32)
  MessageStatus: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  ErrorCode?: string;
}

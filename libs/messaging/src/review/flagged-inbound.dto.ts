import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPageQueryDto } from '@optline/core';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListFlaggedQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'], description: 'Only the texts waiting for a decision, or only the decided ones; both by default' })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: 'open' | 'resolved';
}

export class ResolveFlaggedDto {
  @ApiProperty({ enum: ['opt_out', 'dismiss'], description: 'opt_out: the person meant to stop (recorded in the consent ledger); dismiss: they did not' })
  @IsIn(['opt_out', 'dismiss'])
  action!: 'opt_out' | 'dismiss';

  @ApiPropertyOptional({ example: 'Called back: they want no more texts', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ReviewResolutionDto {
  @ApiProperty({ enum: ['opt_out', 'dismiss'] })
  action!: 'opt_out' | 'dismiss';

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ example: 'api_key:3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10', description: 'Who decided: api_key:<id> or user:<id>' })
  resolvedBy!: string;

  @ApiProperty({ format: 'date-time' })
  resolvedAt!: string;

  @ApiProperty({ type: [String], description: 'Consent ledger entries the opt-out made' })
  consentEventIds!: string[];
}

export class FlaggedInboundResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The inbound message' })
  id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contactId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+14155550100' })
  phone!: string | null;

  @ApiProperty({ example: 'wrong number' })
  body!: string;

  @ApiProperty({ type: String, nullable: true, example: 'stop', description: 'The keyword family the text was read as, if any' })
  keyword!: string | null;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiProperty({ enum: ['open', 'resolved'] })
  status!: 'open' | 'resolved';

  @ApiProperty({ type: ReviewResolutionDto, nullable: true })
  resolution!: ReviewResolutionDto | null;
}

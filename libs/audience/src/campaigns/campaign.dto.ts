import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';

export class CampaignAudienceDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A static or system group (give this or segmentId)' })
  @IsOptional()
  @ValidateIf((o: CampaignAudienceDto) => o.groupId !== null)
  @IsUUID('all', { message: 'audience.groupId must be a UUID' })
  groupId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A saved segment (give this or groupId)' })
  @IsOptional()
  @ValidateIf((o: CampaignAudienceDto) => o.segmentId !== null)
  @IsUUID('all', { message: 'audience.segmentId must be a UUID' })
  segmentId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', isArray: true, description: 'Members of these groups are left out' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  excludeGroupIds?: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', isArray: true, description: 'Contacts matching these segments are left out' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  excludeSegmentIds?: string[];
}

export class CampaignContentDto {
  @ApiProperty({ enum: ['message', 'flow'], description: 'message: one text straight to the gateway; flow: enrol each recipient into an active flow' })
  @IsIn(['message', 'flow'])
  kind: 'message' | 'flow';

  @ApiPropertyOptional({ enum: ['marketing', 'transactional'], description: 'message: the consent it needs' })
  @ValidateIf((o: CampaignContentDto) => o.kind === 'message')
  @IsIn(['marketing', 'transactional'])
  messageType?: 'marketing' | 'transactional';

  @ApiPropertyOptional({ example: '{{ workspace.brandName }}: 20% off this weekend, {{ contact.firstName }}. Reply STOP to opt out.', description: 'message: the text (Liquid)' })
  @ValidateIf((o: CampaignContentDto) => o.kind === 'message')
  @IsString()
  @MinLength(1)
  @MaxLength(1600)
  body?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'flow: the active flow to enrol into' })
  @ValidateIf((o: CampaignContentDto) => o.kind === 'flow')
  @IsUUID('all')
  flowId?: string;
}

export class CampaignScheduleDto {
  @ApiProperty({ enum: ['now', 'at', 'local'], description: 'now; at an instant; or at a wall-clock time in each recipient\'s zone' })
  @IsIn(['now', 'at', 'local'])
  mode: 'now' | 'at' | 'local';

  @ApiPropertyOptional({ example: '2026-11-27T14:00:00Z', description: 'at: the instant (ISO 8601 with offset)' })
  @ValidateIf((o: CampaignScheduleDto) => o.mode === 'at')
  @IsISO8601({ strict: true }, { message: 'schedule.at must be an ISO-8601 date-time' })
  at?: string;

  @ApiPropertyOptional({ example: '2026-11-27T10:00', description: 'local: YYYY-MM-DDTHH:mm, reached in each recipient\'s own zone' })
  @ValidateIf((o: CampaignScheduleDto) => o.mode === 'local')
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'schedule.localTime must be YYYY-MM-DDTHH:mm' })
  localTime?: string;
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Black Friday' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ type: CampaignAudienceDto })
  @ValidateNested()
  @Type(() => CampaignAudienceDto)
  audience: CampaignAudienceDto;

  @ApiProperty({ type: CampaignContentDto })
  @ValidateNested()
  @Type(() => CampaignContentDto)
  content: CampaignContentDto;

  @ApiPropertyOptional({ type: CampaignScheduleDto, description: 'Defaults to now (applied when you schedule)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignScheduleDto)
  schedule?: CampaignScheduleDto;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 600, description: 'At most this many recipients per minute' })
  @IsOptional()
  @ValidateIf((o: CreateCampaignDto) => o.throttlePerMinute !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  throttlePerMinute?: number | null;
}

export class UpdateCampaignDto {
  @ApiPropertyOptional({ example: 'Black Friday (VIP)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ type: CampaignAudienceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignAudienceDto)
  audience?: CampaignAudienceDto;

  @ApiPropertyOptional({ type: CampaignContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignContentDto)
  content?: CampaignContentDto;

  @ApiPropertyOptional({ type: CampaignScheduleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignScheduleDto)
  schedule?: CampaignScheduleDto;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @ValidateIf((o: UpdateCampaignDto) => o.throttlePerMinute !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  throttlePerMinute?: number | null;
}

export class ScheduleCampaignDto {
  @ApiPropertyOptional({ type: CampaignScheduleDto, description: 'Replaces the saved schedule' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignScheduleDto)
  schedule?: CampaignScheduleDto;
}

export class TestSendDto {
  @ApiProperty({ example: '+13125550100', description: 'Your own number: the message is checked and sent like any other' })
  @IsString()
  @MinLength(3)
  @MaxLength(32)
  phone: string;
}

export class CampaignListQueryDto {
  @ApiPropertyOptional({ enum: ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] })
  @IsOptional()
  @IsIn(['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'])
  status?: string;
}

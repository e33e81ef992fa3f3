import { ApiPropertyOptional } from '@nestjs/swagger';
import { MESSAGE_TYPES } from '@optline/messaging';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { GROUP_BYS, type Granularity, type GroupBy } from '../query/report-query.service';

export class ReportQueryDto {
  @ApiPropertyOptional({ example: '2026-03-01', description: 'Start: a local date (workspace time zone) or an ISO instant. Default: 30 days (48 h hourly) before `to`.' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'End: a local date (inclusive) or an ISO instant (exclusive). Default: today / this hour.' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ enum: ['day', 'hour'], default: 'day' })
  @IsOptional()
  @IsIn(['day', 'hour'])
  granularity?: Granularity;

  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'none' })
  @IsOptional()
  @IsIn(GROUP_BYS)
  groupBy?: GroupBy;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  flowId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ enum: MESSAGE_TYPES })
  @IsOptional()
  @IsIn(MESSAGE_TYPES)
  type?: string;

  @ApiPropertyOptional({ example: 'shopify', description: 'What started the messages: a plugin id, hub, campaign, conversation, keyword, api or other' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  source?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv answers text/csv (as does Accept: text/csv)' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class FunnelQueryDto extends ReportQueryDto {}

export class LinksQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

const MAX_WINDOW = 90 * 24 * 60;

export class UpdateReportSettingsDto {
  @ApiPropertyOptional({ example: 7200, description: 'A conversion counts for a message clicked this many minutes before (default 5 days)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_WINDOW)
  clickWindowMinutes?: number;

  @ApiPropertyOptional({ example: 1440, description: 'A conversion counts for a message delivered (not clicked) this many minutes before (default 1 day)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_WINDOW)
  deliveryWindowMinutes?: number;

  @ApiPropertyOptional({ example: 4320, description: 'A reply counts for the message sent this many minutes before (default 3 days)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_WINDOW)
  replyWindowMinutes?: number;

  @ApiPropertyOptional({ example: 2880, description: 'An opt-out counts for the message sent this many minutes before (default 2 days)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_WINDOW)
  optOutWindowMinutes?: number;

  @ApiPropertyOptional({ example: 0.02, description: 'Opt-outs per delivered message above which the console warns' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  optOutWarningRate?: number;

  @ApiPropertyOptional({ example: ['order.created'], type: [String], description: 'Trigger-event types that count as conversions' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[a-z_]+\.[a-z_]+$/, { each: true })
  conversionEvents?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, example: { twilio: 0.0079 }, description: 'Price of one segment per provider, in `currency` units' })
  @IsOptional()
  @IsObject()
  segmentPrices?: Record<string, number>;

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;
}

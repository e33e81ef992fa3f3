import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsTimeOfDay, IsTimeZone } from '../validation/decorators';
import type { OptInMode } from './workspace.entity';

export class QuietHoursDto {
  @ApiProperty({ example: '08:00' })
  @IsTimeOfDay()
  start: string;

  @ApiProperty({ example: '21:00' })
  @IsTimeOfDay()
  end: string;

  @ApiProperty({ example: true, description: 'Transactional messages may go out at any hour' })
  @IsBoolean()
  exemptTransactional: boolean;
}

export class FrequencyCapDto {
  @ApiProperty({ example: 3 })
  @IsInt()
  @Min(1)
  @Max(1000)
  count: number;

  @ApiProperty({ example: 24 })
  @IsInt()
  @Min(1)
  @Max(24 * 31)
  windowHours: number;

  @ApiProperty({ example: ['marketing'] })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(['marketing', 'transactional', 'conversational'], { each: true })
  types: string[];
}

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({ example: 'Acme Alerts', description: 'The name customers see in texts; defaults to the name' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  brandName?: string;

  @ApiPropertyOptional({ example: 'help@acme.test' })
  @IsOptional()
  @IsEmail()
  supportEmail?: string;

  @ApiPropertyOptional({ example: '+14155550100' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  supportPhone?: string;

  @ApiPropertyOptional({ example: 'https://acme.test/help' })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  supportUrl?: string;

  @ApiPropertyOptional({ example: 'US' })
  @IsOptional()
  @IsISO31661Alpha2()
  defaultCountry?: string;

  @ApiPropertyOptional({ example: 'America/New_York' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: ['consent', 'disclaimer'], example: 'consent' })
  @IsOptional()
  @IsIn(['consent', 'disclaimer'])
  optInMode?: OptInMode;
}

export class UpdateWorkspaceDto extends PartialType(CreateWorkspaceDto) {
  @ApiPropertyOptional({ type: QuietHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;

  @ApiPropertyOptional({ type: FrequencyCapDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => FrequencyCapDto)
  frequencyCap?: FrequencyCapDto;

  @ApiPropertyOptional({ example: 6, description: 'Bodies longer than this many segments are refused' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  maxSegments?: number;

  @ApiPropertyOptional({ example: 'Reply STOP to opt out.' })
  @IsOptional()
  @IsString()
  @MinLength(4)
  @MaxLength(60)
  optOutFooter?: string;

  @ApiPropertyOptional({ example: true, description: "End the HELP answer with the person's preference-page link" })
  @IsOptional()
  @IsBoolean()
  helpPreferenceLink?: boolean;
}

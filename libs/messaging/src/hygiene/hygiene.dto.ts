import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsE164Phone } from '@optline/core';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class HygieneReportQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day (UTC), inclusive. Default: 30 days before `to`' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a day (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'from must be a real day (YYYY-MM-DD)' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day (UTC), inclusive. Default: today' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a day (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'to must be a real day (YYYY-MM-DD)' })
  to?: string;
}

export class HygienePhoneParamDto {
  @ApiProperty({ example: '+13125550100' })
  @IsE164Phone()
  phone: string;
}

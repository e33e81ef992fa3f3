import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class RegistrationKitQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: one row per campaign' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

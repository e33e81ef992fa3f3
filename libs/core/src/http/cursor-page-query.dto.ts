import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * The query of a list answered in pages with an opaque cursor (`nextCursor` of the previous
 * page). List DTOs extend it and add their filters.
 */
export class CursorPageQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page', example: 'MjAyNi0xMS0yMlQwOToxMjowMC4wMDBafDBiN2U1ZjFh' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

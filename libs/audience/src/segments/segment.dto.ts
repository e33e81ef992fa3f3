import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

const CONDITIONS_EXAMPLE = {
  and: [{ '==': [{ var: 'consent.marketing' }, 'opted_in'] }, { '>=': [{ var: 'contact.ordersCount' }, 2] }, { '>': [{ var: 'contact.lastOrderAt' }, { daysAgo: 90 }] }],
};
const CONDITIONS_DESCRIPTION =
  'JSON Logic over contact.<field or attribute>, consent.<type>, consentSource.<type>, suppressed; operators and, or, !, !!, ==, !=, <, <=, >, >=, in, inGroup, daysAgo (docs/campaigns.md)';

export class SegmentConditionsDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: CONDITIONS_EXAMPLE, description: CONDITIONS_DESCRIPTION })
  @IsDefined()
  conditions: Record<string, unknown>;
}

export class CreateSegmentDto extends SegmentConditionsDto {
  @ApiProperty({ example: 'Repeat buyers, last 90 days' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Two orders or more, opted in to marketing' })
  @IsOptional()
  @ValidateIf((o: CreateSegmentDto) => o.description !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class UpdateSegmentDto {
  @ApiPropertyOptional({ example: 'Repeat buyers' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((o: UpdateSegmentDto) => o.description !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: CONDITIONS_DESCRIPTION })
  @IsOptional()
  conditions?: Record<string, unknown>;
}

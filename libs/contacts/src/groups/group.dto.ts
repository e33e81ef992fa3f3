import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

export class CreateGroupDto {
  @ApiProperty({ example: 'VIP customers' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name: string;

  @ApiPropertyOptional({ example: 'Spent over $500 last year', nullable: true })
  @IsOptional()
  @ValidateIf((o: CreateGroupDto) => o.description !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class UpdateGroupDto {
  @ApiPropertyOptional({ example: 'VIP customers 2026' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name?: string;

  @ApiPropertyOptional({ example: null, nullable: true })
  @IsOptional()
  @ValidateIf((o: UpdateGroupDto) => o.description !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class GroupMembersDto {
  @ApiProperty({ example: ['3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10'], maxItems: 10000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @IsUUID('all', { each: true })
  contactIds: string[];
}

export class MoveMembersDto extends GroupMembersDto {
  @ApiProperty({ example: '6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10', description: 'The static group the contacts move to' })
  @IsUUID()
  toGroupId: string;
}

export class MemberPageQueryDto {
  @ApiPropertyOptional({ example: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10', description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsUUID()
  cursor?: string;

  @ApiPropertyOptional({ example: 1000, default: 1000, minimum: 1, maximum: 10000 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}

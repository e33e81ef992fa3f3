import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsTimeZone } from '@optline/core';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { IsContactAttributes } from './contact-attributes';

/** An object whose values are all short strings (external ids by source); null values allowed when `nullable`. */
function IsStringMap(options: ValidationOptions & { nullable?: boolean } = {}): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an object of source → id strings, e.g. { "shopify": "123" }', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(
            ([k, v]) => /^[a-z0-9_.-]{1,40}$/i.test(k) && ((typeof v === 'string' && v.length > 0 && v.length <= 200) || (options.nullable && v === null)),
          ),
      },
    });
}

const nullable = (property: string) => ValidateIf((o: Record<string, unknown>) => o[property] !== null);

export class UpsertContactDto {
  @ApiProperty({ example: '+14155550100', description: 'E.164, or a national number read with the workspace country' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  phone: string;

  @ApiPropertyOptional({ example: 'ada@example.com', nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ example: 'Ada', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ example: 'Lovelace', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ example: 'America/Chicago', nullable: true, description: 'Explicit zone; otherwise derived from the phone number' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({ example: { birthday: '1990-12-10', tags: ['vip'] }, description: 'Merged into the stored attributes: at most 100 keys of 1–64 characters, each value at most 1,000 characters as JSON' })
  @IsOptional()
  @IsContactAttributes()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: { shopify: '7012345678' }, description: 'Merged into the stored ids' })
  @IsOptional()
  @IsStringMap()
  externalIds?: Record<string, string>;
}

export class PatchContactDto {
  @ApiPropertyOptional({ example: '+14155550101' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({ example: 'ada@example.com', nullable: true, description: 'null clears it' })
  @IsOptional()
  @nullable('email')
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ example: 'Ada', nullable: true })
  @IsOptional()
  @nullable('firstName')
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ example: 'Lovelace', nullable: true })
  @IsOptional()
  @nullable('lastName')
  @IsString()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ example: 'Europe/London', nullable: true })
  @IsOptional()
  @nullable('timeZone')
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({ example: { tier: 'gold', oldTag: null }, description: 'Merged; a key set to null is removed. The contact keeps at most 100 keys of 1–64 characters, values at most 1,000 characters as JSON' })
  @IsOptional()
  @IsContactAttributes()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: { hubspot: '451', shopify: null }, description: 'Merged; a source set to null is removed' })
  @IsOptional()
  @IsStringMap({ nullable: true })
  externalIds?: Record<string, string | null>;
}

export const CONSENT_TYPE_VALUES = ['marketing', 'transactional', 'conversational'];
export const CONSENT_STATE_VALUES = ['none', 'pending', 'opted_in', 'opted_out'];

export class ListContactsQueryDto {
  @ApiPropertyOptional({ example: 50, default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', example: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Members of this group', example: '6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  @IsOptional()
  @IsUUID()
  group?: string;

  @ApiPropertyOptional({ enum: CONSENT_TYPE_VALUES, example: 'marketing' })
  @IsOptional()
  @IsIn(CONSENT_TYPE_VALUES)
  consentType?: string;

  @ApiPropertyOptional({ enum: CONSENT_STATE_VALUES, example: 'opted_in', description: 'With consentType' })
  @IsOptional()
  @IsIn(CONSENT_STATE_VALUES)
  consentState?: string;

  @ApiPropertyOptional({ example: 'tier:gold', description: '"key" (has the attribute) or "key:value" (equals, as text)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,60}(:.{0,200})?$/, { message: 'attribute must be "key" or "key:value"' })
  attribute?: string;

  @ApiPropertyOptional({ example: 'ada', description: 'Search phone, email and names' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}

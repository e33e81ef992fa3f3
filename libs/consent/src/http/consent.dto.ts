import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateInAcceptedRange } from '@optline/core';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { CONSENT_MESSAGE_TYPES, CONSENT_SOURCES, ConsentMessageType, ConsentSource } from '../consent.types';

/** 'all' or a non-empty list of distinct message types. */
function IsConsentTypes(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isConsentTypes',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be "all" or a non-empty list of ${CONSENT_MESSAGE_TYPES.join(', ')}`, ...options },
      validator: {
        validate: (value: unknown) =>
          value === 'all' ||
          (Array.isArray(value) &&
            value.length > 0 &&
            new Set(value).size === value.length &&
            value.every((v) => CONSENT_MESSAGE_TYPES.includes(v as ConsentMessageType))),
      },
    });
}

/** A JSON object of at most `maxBytes` once serialised. */
function IsSmallObject(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSmallObject',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be an object of at most ${maxBytes} bytes as JSON`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) && Buffer.byteLength(JSON.stringify(value)) <= maxBytes,
      },
    });
}

export const RECORDABLE_STATES = ['opted_in', 'opted_out', 'pending'] as const;

export class RecordConsentDto {
  @ApiProperty({ oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string', enum: CONSENT_MESSAGE_TYPES } }], example: ['marketing'] })
  @IsConsentTypes()
  types: ConsentMessageType[] | 'all';

  @ApiProperty({ enum: RECORDABLE_STATES, example: 'opted_out' })
  @IsIn(RECORDABLE_STATES as unknown as string[])
  state: (typeof RECORDABLE_STATES)[number];

  @ApiPropertyOptional({ enum: CONSENT_SOURCES, example: 'agent', default: 'api', description: '"agent" for a verbal request taken by staff' })
  @IsOptional()
  @IsIn(CONSENT_SOURCES)
  source?: ConsentSource;

  @ApiProperty({
    example: { text: 'Customer called on 2026-11-22 and asked not to be texted', ticket: 'SUP-1042' },
    description: 'How and why; `text` is required for an opt-in recorded by hand',
  })
  @IsSmallObject(8192)
  evidence: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', example: '0d5e1a52-5a53-4a0b-9d2c-2f7a4b1b9e10', description: 'The disclosure version the person saw' })
  @IsOptional()
  @IsUUID()
  disclosureId?: string;

  @ApiPropertyOptional({ example: '2026-11-22T08:55:00.000Z', description: 'When the person acted; defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsDateInAcceptedRange()
  occurredAt?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '5d7c9a10-3f1e-4c39-9a55-0c7d2b7e8f11', description: 'The agent (GET /v1/agents) who took the request; 404 when not an agent of this workspace' })
  @IsOptional()
  @IsUUID('all', { message: 'agentId must be the id of an agent of this workspace' })
  agentId?: string;

  @ApiPropertyOptional({ format: 'uuid', example: null, description: 'The flow the act came from; 404 when not a flow of this workspace' })
  @IsOptional()
  @IsUUID('all', { message: 'flowId must be the id of a flow of this workspace' })
  flowId?: string;

  @ApiPropertyOptional({ example: null, description: 'A free label of the campaign (not an id the hub checks)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  campaignId?: string;
}

export class ConsentAtQueryDto {
  @ApiProperty({ example: '+14155550100' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  phone: string;

  @ApiProperty({ enum: CONSENT_MESSAGE_TYPES, example: 'marketing' })
  @IsIn(CONSENT_MESSAGE_TYPES)
  type: ConsentMessageType;

  @ApiPropertyOptional({ example: '2026-11-01T12:00:00.000Z', description: 'The instant asked about; defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsDateInAcceptedRange()
  at?: string;
}

export class ConsentExportQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'csv', example: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'json'])
  format?: 'csv' | 'json';

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00.000Z', description: 'Entries whose act occurred at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsDateInAcceptedRange()
  from?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00.000Z', description: 'Entries whose act occurred before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsDateInAcceptedRange()
  to?: string;
}

export class CreateDisclosureDto {
  @ApiProperty({
    example:
      'By checking this box you agree to receive recurring automated marketing texts from Acme Alerts at this number. Consent is not a condition of purchase. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to cancel. Terms: https://acme.test/terms Privacy: https://acme.test/privacy',
  })
  @IsString()
  @MinLength(20)
  @MaxLength(2000)
  text: string;
}

export class SuppressDto {
  @ApiProperty({ example: '+14155550100' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  phone: string;

  @ApiProperty({ example: 'Legal request (letter of 2026-11-20)' })
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  reason: string;
}

export class UnsuppressDto {
  @ApiProperty({ example: 'Added by mistake: customer re-confirmed by phone' })
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  reason: string;
}

export class PhoneParamDto {
  @ApiProperty({ example: '+14155550100', description: 'URL-encoded ("%2B14155550100")' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  phone: string;
}

export class PageQueryDto {
  @ApiPropertyOptional({ example: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10', description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsUUID()
  cursor?: string;

  @ApiPropertyOptional({ example: 100, default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ example: 'marketing,transactional', description: 'Types a consent column applies to when the row names none (default marketing)' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value))
  @IsIn(CONSENT_MESSAGE_TYPES, { each: true, message: `consentTypes must be a comma-separated list of ${CONSENT_MESSAGE_TYPES.join(', ')}` })
  consentTypes?: ConsentMessageType[];

  @ApiPropertyOptional({ format: 'uuid', example: '0d5e1a52-5a53-4a0b-9d2c-2f7a4b1b9e10', description: 'Disclosure the list was collected under' })
  @IsOptional()
  @IsUUID()
  disclosureId?: string;

  @ApiPropertyOptional({ example: 'Spring 2026 in-store sign-up sheets', description: 'Kept as evidence on every imported consent entry' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @ApiPropertyOptional({ example: false, default: false, description: "Announce imported consent changes ('consent.changed': flows, plugin write-back)" })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  announce?: boolean;

  @ApiPropertyOptional({ example: 'contacts-2026-11.csv' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  fileName?: string;
}

export class SuppressionImportQueryDto {
  @ApiPropertyOptional({ example: 'Do-not-contact list from legal, 2026-11', description: 'Reason for rows without a reason column' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  reason?: string;
}

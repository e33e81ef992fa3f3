import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ResolvedTimeZone, TimeZoneSource } from './time-zone';

export class ResolvedTimeZoneDto implements ResolvedTimeZone {
  @ApiProperty({ type: String, isArray: true, description: 'One zone, or several when the number’s exchange spans zones', example: ['America/Los_Angeles'] })
  zones!: string[];

  @ApiProperty({ enum: ['contact', 'phone', 'workspace'], description: 'What decided it: the contact’s setting, the phone number, or the workspace' })
  source!: TimeZoneSource;
}

export class ContactResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'E.164; null once erased', example: '+14155550100' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Ada' })
  firstName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Lovelace' })
  lastName!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'An explicit IANA zone set on the contact', example: null })
  timeZone!: string | null;

  @ApiPropertyOptional({ type: ResolvedTimeZoneDto, description: 'The zone quiet hours use for this contact (one contact)' })
  resolvedTimeZone?: ResolvedTimeZoneDto;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { birthday: '1990-12-10', tags: ['vip'] } })
  attributes!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Ids in connected systems, by source', example: { shopify: '7012345678' } })
  externalIds!: Record<string, string>;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  erasedAt!: Date | null;
}

export class UpsertedContactResponseDto extends ContactResponseDto {
  @ApiProperty({ description: 'true: a new contact (201); false: merged into the one with this phone (200)' })
  created!: boolean;
}

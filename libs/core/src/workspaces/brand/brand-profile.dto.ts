import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsISO31661Alpha2, IsString, IsUrl, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsE164Phone } from '../../validation/decorators';

/** Only https pages pass vetting; a bare domain or http:// link is refused here, not by the carrier weeks later. */
const HTTPS = { require_protocol: true, protocols: ['https'], require_tld: true };
const HTTPS_MESSAGE = (field: string) => `${field} must be an https:// URL`;

/** `PUT /v1/brand-profile`: the whole profile; an absent or null field is cleared. */
export class PutBrandProfileDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Acme Incorporated', description: 'Exactly as on the tax registration' })
  @ValidateIf((_, v) => v != null)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  legalName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Acme Alerts', description: 'The name texts are signed with' })
  @ValidateIf((_, v) => v != null)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  brandName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'US', description: 'Country of registration, ISO 3166-1 alpha-2' })
  @ValidateIf((_, v) => v != null)
  @IsISO31661Alpha2()
  country?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '12-3456789', description: 'US EIN NN-NNNNNNN, CA BN 9 digits, GB company or VAT number; free text elsewhere' })
  @ValidateIf((_, v) => v != null)
  @IsString()
  @MinLength(2)
  @MaxLength(40)
  taxId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://acme.test' })
  @ValidateIf((_, v) => v != null)
  @IsUrl(HTTPS, { message: HTTPS_MESSAGE('website') })
  website?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://acme.test/privacy' })
  @ValidateIf((_, v) => v != null)
  @IsUrl(HTTPS, { message: HTTPS_MESSAGE('privacyUrl') })
  privacyUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://acme.test/terms' })
  @ValidateIf((_, v) => v != null)
  @IsUrl(HTTPS, { message: HTTPS_MESSAGE('termsUrl') })
  termsUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Dana Reyes' })
  @ValidateIf((_, v) => v != null)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  contactName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'dana@acme.test' })
  @ValidateIf((_, v) => v != null)
  @IsEmail()
  contactEmail?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '+14155550100', description: 'E.164' })
  @ValidateIf((_, v) => v != null)
  @IsE164Phone()
  contactPhone?: string | null;
}

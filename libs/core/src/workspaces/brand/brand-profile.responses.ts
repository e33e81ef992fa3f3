import { ApiProperty } from '@nestjs/swagger';
import { BRAND_PROFILE_FIELDS } from './brand-profile.entity';

export class BrandProfileResponseDto {
  @ApiProperty({ type: String, nullable: true, example: 'Acme Incorporated' })
  legalName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Acme Alerts' })
  brandName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'US' })
  country!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '12-3456789' })
  taxId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://acme.test' })
  website!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://acme.test/privacy' })
  privacyUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://acme.test/terms' })
  termsUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Dana Reyes' })
  contactName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'dana@acme.test' })
  contactEmail!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+14155550100' })
  contactPhone!: string | null;

  @ApiProperty({ type: String, isArray: true, enum: BRAND_PROFILE_FIELDS, description: 'Fields vetting asks for that are still empty', example: ['taxId'] })
  missing!: string[];

  @ApiProperty({
    enum: ['not_checked'],
    description: 'The hub runs offline and cannot open the website, privacy and terms pages: check each loads over https before submitting',
    example: 'not_checked',
  })
  urlReachability!: 'not_checked';

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last change; null before the first save' })
  updatedAt!: Date | null;
}

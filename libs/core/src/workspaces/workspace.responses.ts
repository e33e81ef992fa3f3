import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../auth/permissions';

export class QuietHoursDto {
  @ApiProperty({ description: "Local time in the recipient's zone, HH:MM", example: '08:00' })
  start!: string;

  @ApiProperty({ example: '21:00' })
  end!: string;

  @ApiProperty({ description: 'Transactional texts may go out at night' })
  exemptTransactional!: boolean;
}

export class FrequencyCapDto {
  @ApiProperty({ description: 'At most this many messages of the capped types per contact…', example: 3 })
  count!: number;

  @ApiProperty({ description: '…in any rolling window of this many hours', example: 24 })
  windowHours!: number;

  @ApiProperty({ type: String, isArray: true, enum: ['marketing', 'transactional', 'conversational'], example: ['marketing'] })
  types!: string[];
}

export class WorkspaceResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  id!: string;

  @ApiProperty({ example: 'Acme Inc.' })
  name!: string;

  @ApiProperty({ description: 'The name texts are signed with', example: 'Acme Alerts' })
  brandName!: string;

  @ApiProperty({ type: String, nullable: true, example: 'help@acme.test' })
  supportEmail!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+14155550100' })
  supportPhone!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://acme.test/help' })
  supportUrl!: string | null;

  @ApiProperty({ description: 'ISO 3166 country for numbers written without +', example: 'US' })
  defaultCountry!: string;

  @ApiProperty({ description: 'IANA zone', example: 'America/New_York' })
  timeZone!: string;

  @ApiProperty({ enum: ['consent', 'disclaimer'], description: 'How one-to-one conversations are opened' })
  optInMode!: string;

  @ApiProperty({ type: QuietHoursDto })
  quietHours!: QuietHoursDto;

  @ApiProperty({ type: FrequencyCapDto })
  frequencyCap!: FrequencyCapDto;

  @ApiProperty({ description: 'Longest message, in segments', example: 6 })
  maxSegments!: number;

  @ApiProperty({ description: 'Appended to marketing messages without opt-out language', example: 'Reply STOP to opt out.' })
  optOutFooter!: string;

  @ApiProperty({ description: "The HELP answer ends with the person's preference-page link" })
  helpPreferenceLink!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class FirstAdminKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'First admin key' })
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'admin' })
  role!: string;

  @ApiProperty({ example: 'olk_1a2b3c4d' })
  prefix!: string;

  @ApiProperty({ description: 'Shown in this answer only', example: 'olk_1a2b3c4d_…' })
  key!: string;
}

export class CreatedWorkspaceResponseDto {
  @ApiProperty({ type: WorkspaceResponseDto })
  workspace!: WorkspaceResponseDto;

  @ApiProperty({ type: FirstAdminKeyDto })
  apiKey!: FirstAdminKeyDto;
}

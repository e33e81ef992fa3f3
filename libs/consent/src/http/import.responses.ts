import { ApiProperty } from '@nestjs/swagger';

export class ImportOptionsDto {
  @ApiProperty({ type: String, isArray: true, enum: ['marketing', 'transactional', 'conversational'], description: 'Types a consent column applies to when a row has no consent_types' })
  consentTypes!: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Disclosure recorded with imported opt-ins' })
  disclosureId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Evidence kept on every imported consent entry', example: 'Spring 2026 sign-up sheets' })
  note!: string | null;

  @ApiProperty({ description: "Imported consent changes are announced (flows, plugin write-back)" })
  announce!: boolean;
}

export class ImportLinksDto {
  @ApiProperty({ example: '/v1/imports/5e7f1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  self!: string;

  @ApiProperty({ example: '/v1/imports/5e7f1a52-5a53-4a0b-9d2c-2f7a4b1b9e10/rejected' })
  rejectedRows!: string;
}

export class ImportResponseDto {
  @ApiProperty({ format: 'uuid', example: '5e7f1a52-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  id!: string;

  @ApiProperty({ enum: ['uploading', 'queued', 'running', 'completed', 'failed'] })
  status!: string;

  @ApiProperty({ type: String, nullable: true, example: 'contacts-2026-11.csv' })
  fileName!: string | null;

  @ApiProperty({ description: 'Bytes received', example: 73400320 })
  bytes!: number;

  @ApiProperty({ example: 412000 })
  rowsRead!: number;

  @ApiProperty({ description: 'Contacts created', example: 398120 })
  created!: number;

  @ApiProperty({ description: 'Contacts updated', example: 12001 })
  updated!: number;

  @ApiProperty({ description: 'Rows refused (see links.rejectedRows)', example: 1879 })
  rejected!: number;

  @ApiProperty({ description: 'Rows imported without their consent column', example: 12 })
  consentSkipped!: number;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ type: ImportOptionsDto })
  options!: ImportOptionsDto;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: Date | null;

  @ApiProperty({ type: ImportLinksDto })
  links!: ImportLinksDto;
}

export class SuppressionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null when the contact was erased (the hash stays)', example: '+14155550100' })
  phone!: string | null;

  @ApiProperty()
  phoneHash!: string;

  @ApiProperty({ example: 'Carrier reported landline' })
  reason!: string;

  @ApiProperty({ example: 'api_key:9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa' })
  actor!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class SuppressedResponseDto {
  @ApiProperty({ example: '+14155550100' })
  phone!: string;

  @ApiProperty({ enum: [true] })
  suppressed!: true;

  @ApiProperty({ description: 'false when it was already suppressed' })
  added!: boolean;
}

export class UnsuppressedResponseDto {
  @ApiProperty({ example: '+14155550100' })
  phone!: string;

  @ApiProperty({ enum: [false] })
  suppressed!: false;
}

export class SuppressionRejectionDto {
  @ApiProperty({ example: 4 })
  line!: number;

  @ApiProperty({ example: 'phone "12" is not a valid number' })
  reason!: string;
}

export class SuppressionImportResponseDto {
  @ApiProperty() rowsRead!: number;
  @ApiProperty() added!: number;
  @ApiProperty() alreadySuppressed!: number;
  @ApiProperty() rejected!: number;

  @ApiProperty({ type: SuppressionRejectionDto, isArray: true })
  rejections!: SuppressionRejectionDto[];
}

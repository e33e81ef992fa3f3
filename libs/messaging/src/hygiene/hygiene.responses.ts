import { ApiProperty } from '@nestjs/swagger';

export class HygieneDayRowDto {
  @ApiProperty({ example: '2026-11-20' })
  day!: string;

  @ApiProperty({ example: 'landline', description: 'landline, invalid_number or deactivated' })
  reason!: string;

  @ApiProperty({ example: 3 })
  count!: number;
}

export class HygieneReportResponseDto {
  @ApiProperty({ example: '2026-11-01' })
  from!: string;

  @ApiProperty({ example: '2026-11-30' })
  to!: string;

  @ApiProperty({ type: HygieneDayRowDto, isArray: true, description: 'Numbers hygiene put on the suppression list, per day (UTC) and reason' })
  days!: HygieneDayRowDto[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { landline: 3, deactivated: 12 } })
  totals!: Record<string, number>;
}

export class HygieneSweepResponseDto {
  @ApiProperty({ description: 'Numbers looked up in this pass' })
  looked!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { landline: 1, invalid_number: 1 }, description: 'Numbers suppressed in this pass, by reason' })
  suppressed!: Record<string, number>;

  @ApiProperty({ description: 'Lookups that failed (tried again later)' })
  failed!: number;

  @ApiProperty({ description: 'More numbers wait for a lookup than one pass takes' })
  remaining!: boolean;
}

export class LineTypeResponseDto {
  @ApiProperty({ example: '+13125550100' })
  phone!: string;

  @ApiProperty()
  valid!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'mobile', description: "Twilio Lookup v2's line type: mobile, landline, fixedVoip, nonFixedVoip, tollFree, ..." })
  lineType!: string | null;

  @ApiProperty({ type: String, nullable: true })
  carrierName!: string | null;

  @ApiProperty({ format: 'date-time' })
  checkedAt!: string;
}

export class DeactivationRejectionDto {
  @ApiProperty() line!: number;
  @ApiProperty() reason!: string;
}

export class DeactivationImportResponseDto {
  @ApiProperty() rowsRead!: number;
  @ApiProperty({ description: 'Numbers put on the suppression list (reason deactivated)' }) suppressed!: number;
  @ApiProperty() alreadySuppressed!: number;
  @ApiProperty({ description: 'Numbers whose person opted in again after the deactivation: not suppressed' }) reconsented!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: DeactivationRejectionDto, isArray: true }) rejections!: DeactivationRejectionDto[];
}

import { ApiProperty } from '@nestjs/swagger';

export class ReportRowDto {
  @ApiProperty({ type: String, nullable: true, example: '2026-03-10', description: 'Local date (day) or ISO hour; null in a breakdown' })
  bucket: string | null;
  @ApiProperty({ example: '', description: 'The group id ("" when not grouped or not applicable)' })
  group: string;
  @ApiProperty({ example: 'Abandoned cart' })
  label: string;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty({ description: 'delivered / sent' }) deliveryRate: number;
  @ApiProperty() undelivered: number;
  @ApiProperty() failed: number;
  @ApiProperty() blocked: number;
  @ApiProperty() deferred: number;
  @ApiProperty() segments: number;
  @ApiProperty({ description: 'segments × the provider’s price per segment' }) cost: number;
  @ApiProperty({ description: 'Total clicks' }) clicks: number;
  @ApiProperty({ description: 'Messages clicked at least once' }) uniqueClicks: number;
  @ApiProperty({ description: 'uniqueClicks / delivered' }) clickRate: number;
  @ApiProperty() replies: number;
  @ApiProperty() optOuts: number;
  @ApiProperty({ description: 'optOuts / delivered' }) optOutRate: number;
  @ApiProperty() conversions: number;
  @ApiProperty() revenue: number;
}

export class ReportResponseDto {
  @ApiProperty({ enum: ['day', 'hour'] })
  granularity: 'day' | 'hour';
  @ApiProperty({ format: 'date-time' })
  from: Date;
  @ApiProperty({ format: 'date-time' })
  to: Date;
  @ApiProperty({ example: 'America/Chicago' })
  timeZone: string;
  @ApiProperty({ example: 'USD' })
  currency: string;
  @ApiProperty({ example: 0.02 })
  optOutWarningRate: number;
  @ApiProperty({ type: [ReportRowDto] })
  rows: ReportRowDto[];
}

export class ReasonRowDto {
  @ApiProperty({ enum: ['failed', 'undelivered', 'blocked', 'deferred'] })
  measure: string;
  @ApiProperty({ example: '30007', description: 'Error code or reason ("" when none was given)' })
  detail: string;
  @ApiProperty()
  count: number;
}

export class LinkRowDto {
  @ApiProperty({ example: 'https://acme.test/sale' })
  url: string;
  @ApiProperty()
  clicks: number;
  @ApiProperty({ description: 'Messages whose link was clicked at least once' })
  uniqueClicks: number;
}

export class FunnelResponseDto {
  @ApiProperty({ format: 'uuid' }) flowId: string;
  @ApiProperty({ description: 'Runs started in the range' }) entered: number;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() clicked: number;
  @ApiProperty() converted: number;
  @ApiProperty() revenue: number;
}

export class ReportSettingsResponseDto {
  @ApiProperty() clickWindowMinutes: number;
  @ApiProperty() deliveryWindowMinutes: number;
  @ApiProperty() replyWindowMinutes: number;
  @ApiProperty() optOutWindowMinutes: number;
  @ApiProperty() optOutWarningRate: number;
  @ApiProperty({ type: [String] }) conversionEvents: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { twilio: 0.0079 } }) segmentPrices: Record<string, number>;
  @ApiProperty() currency: string;
}

export class RecomputeResponseDto {
  @ApiProperty({ enum: ['idle', 'pending', 'running', 'completed', 'failed'] })
  status: 'idle' | 'pending' | 'running' | 'completed' | 'failed';
  @ApiProperty({ type: String, nullable: true, example: 'messages' })
  phase: string | null;
  @ApiProperty() done: number;
  @ApiProperty() total: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) requestedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

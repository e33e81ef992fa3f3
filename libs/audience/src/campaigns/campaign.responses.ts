import { ApiProperty } from '@nestjs/swagger';
import { CAMPAIGN_STATUSES } from './campaign.entity';
import { CampaignAudienceDto, CampaignContentDto, CampaignScheduleDto } from './campaign.dto';

export class CampaignResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Black Friday' })
  name!: string;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: string;

  @ApiProperty({ type: CampaignAudienceDto })
  audience!: CampaignAudienceDto;

  @ApiProperty({ type: CampaignContentDto })
  content!: CampaignContentDto;

  @ApiProperty({ type: CampaignScheduleDto })
  schedule!: CampaignScheduleDto;

  @ApiProperty({ type: Number, nullable: true })
  throttlePerMinute!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When resolution starts (scheduled campaigns)' })
  startAt!: Date | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Counted when sending began' })
  audienceSize!: number | null;

  @ApiProperty({ description: 'Recipients handed over so far' })
  resolvedCount!: number;

  @ApiProperty({ example: 'api_key:6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10' })
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: Date | null;
}

export class CampaignProgressResponseDto {
  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Counted when sending began' })
  audienceSize!: number | null;

  @ApiProperty({ description: 'Recipients whose message (or enrolment) was handed over' })
  resolved!: number;

  @ApiProperty({ description: 'Handed to the provider' })
  sent!: number;

  @ApiProperty()
  delivered!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ description: 'Refused at send time (opted out, suppressed, cancelled, …)' })
  blocked!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { opted_out: 120, suppressed: 14 } })
  blockedByReason!: Record<string, number>;

  @ApiProperty({ description: 'Waiting for quiet hours or the recipient\'s local time' })
  deferred!: number;

  @ApiProperty({ description: 'Waiting for their send job' })
  queued!: number;

  @ApiProperty({ description: 'Not yet decided: unresolved recipients, queued and deferred messages' })
  remaining!: number;
}

export class CampaignDeletedResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: [true] })
  deleted!: true;
}

export class CampaignTestSendResponseDto {
  @ApiProperty({ format: 'uuid' })
  messageId!: string;

  @ApiProperty({ example: 'queued', description: 'The message is checked at send time like any other' })
  status!: string;
}

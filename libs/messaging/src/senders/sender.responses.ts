import { ApiProperty } from '@nestjs/swagger';
import { MESSAGE_TYPES, MessageType } from '../message/message.entity';
import { SENDER_KINDS, SenderKind, TEN_DLC_TIERS, TenDlcTier, TOLL_FREE_TIERS, TollFreeTier } from './sender-kinds';

export class SenderResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: SENDER_KINDS })
  kind!: SenderKind;

  @ApiProperty({ example: '+13125550100' })
  address!: string;

  @ApiProperty({ type: String, nullable: true })
  label!: string | null;

  @ApiProperty({ enum: TOLL_FREE_TIERS, nullable: true })
  tier!: TollFreeTier | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The rate set for this sender; null = its default' })
  messagesPerSecond!: number | null;

  @ApiProperty({ example: 1, description: 'The rate the gateway holds it to (messages per second)' })
  effectivePerSecond!: number;

  @ApiProperty({ example: false, description: "Counts towards the brand's daily cap (10DLC)" })
  countsTowardsDailyCap!: boolean;

  @ApiProperty({ enum: MESSAGE_TYPES, isArray: true })
  messageTypes!: MessageType[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class SenderListResponseDto {
  @ApiProperty({ type: SenderResponseDto, isArray: true })
  data!: SenderResponseDto[];
}

export class SenderBrandLimitResponseDto {
  @ApiProperty({ enum: TEN_DLC_TIERS, nullable: true })
  tenDlcTier!: TenDlcTier | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The cap set; null = the tier default' })
  dailyCap!: number | null;

  @ApiProperty({ example: 2000, description: 'The cap the gateway applies (messages a day, UTC days)' })
  effectiveDailyCap!: number;

  @ApiProperty({ example: 1.25, description: 'The rate of a 10DLC sender without its own rate' })
  tenDlcPerSecond!: number;
}

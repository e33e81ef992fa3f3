import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MESSAGE_TYPES, MessageType } from '../message/message.entity';
import { SENDER_KINDS, SenderKind, TEN_DLC_TIERS, TenDlcTier, TOLL_FREE_TIERS, TollFreeTier } from './sender-kinds';

const CARRIED_TYPES = MESSAGE_TYPES.filter((t) => t !== 'system');

export class SenderDto {
  @ApiProperty({ enum: SENDER_KINDS, example: 'ten_dlc', description: 'long_code (unregistered, 1 msg/s), ten_dlc (registered; rate by brand tier), toll_free, short_code, alphanumeric (one-way, where the country allows)' })
  @IsIn(SENDER_KINDS as unknown as string[])
  kind: SenderKind;

  @ApiProperty({ example: '+13125550100', description: 'E.164 number, 5–6 digit short code, or an alphanumeric id of up to 11 characters' })
  @IsString()
  @MaxLength(16)
  address: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Main store line' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string | null;

  @ApiPropertyOptional({ enum: TOLL_FREE_TIERS, nullable: true, description: "toll_free: its verification (3 msg/s once verified). A 10DLC number's tier is its brand's" })
  @IsOptional()
  @IsIn(TOLL_FREE_TIERS as unknown as string[])
  tier?: TollFreeTier | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 3, description: "A rate the carrier granted this sender (messages per second); omit for its kind's default" })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(1000)
  messagesPerSecond?: number | null;

  @ApiProperty({ enum: CARRIED_TYPES, isArray: true, example: ['marketing', 'transactional'], description: 'The message types it may carry; system replies (STOP, HELP) use any sender that can receive texts' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CARRIED_TYPES, { each: true })
  messageTypes: MessageType[];

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class SenderBrandLimitDto {
  @ApiProperty({ enum: TEN_DLC_TIERS, nullable: true, example: 'score_50_74', description: "The brand's 10DLC standing after vetting (trust score band); null = not vetted yet (low_volume defaults)" })
  @ValidateIf((o: SenderBrandLimitDto) => o.tenDlcTier !== null)
  @IsIn(TEN_DLC_TIERS as unknown as string[])
  tenDlcTier: TenDlcTier | null;

  @ApiProperty({ type: Number, nullable: true, example: 40000, description: "Messages a day through the brand's 10DLC senders; null = the tier's default" })
  @ValidateIf((o: SenderBrandLimitDto) => o.dailyCap !== null)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  dailyCap: number | null;
}

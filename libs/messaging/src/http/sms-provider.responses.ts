import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROVIDER_KINDS, ProviderSettings } from '../providers/sms-provider-config.entity';
import type { ProviderConfigView } from '../providers/sms-provider-config.service';

export class SmsProviderSettingsDto implements ProviderSettings {
  @ApiPropertyOptional({ description: 'Twilio: the account', example: 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c' })
  accountSid?: string;

  @ApiPropertyOptional({ description: 'The sender number (E.164)', example: '+15005550006' })
  from?: string;

  @ApiPropertyOptional({ description: 'Twilio: a Messaging Service SID instead of a sender number' })
  messagingServiceSid?: string;

  @ApiPropertyOptional({ description: 'Twilio: a Twilio-compatible REST endpoint instead of https://api.twilio.com' })
  apiBaseUrl?: string;

  @ApiPropertyOptional({ description: 'http: where outbound messages are POSTed' })
  url?: string;

  @ApiPropertyOptional({ description: "The sender's carrier rate (messages per second); none = unlimited", example: 1 })
  messagesPerSecond?: number;

  @ApiPropertyOptional({ description: "Answer keyword replies inside the inbound webhook's TwiML instead of through the REST API" })
  replyInTwiml?: boolean;

  @ApiPropertyOptional({ description: "Twilio: each new number's line type is looked up (Lookup v2); landlines and invalid numbers are suppressed" })
  lineTypeLookup?: boolean;
}

export class SmsProviderSecretsDto {
  @ApiProperty({ type: String, nullable: true, description: 'Twilio auth token, masked', example: '••••cdef' })
  authToken!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'http: the signing secret, masked' })
  signingSecret!: string | null;
}

export class SmsProviderResponseDto implements ProviderConfigView {
  @ApiProperty({ enum: PROVIDER_KINDS, example: 'twilio' })
  kind!: ProviderConfigView['kind'];

  @ApiProperty({ type: SmsProviderSettingsDto })
  settings!: SmsProviderSettingsDto;

  @ApiProperty({ type: SmsProviderSecretsDto })
  secrets!: SmsProviderSecretsDto;

  @ApiProperty({ type: String, nullable: true, description: "Paste into the provider's inbound (incoming message) webhook" })
  inboundUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "Paste into the provider's status callback" })
  statusCallbackUrl!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: Date | null;
}

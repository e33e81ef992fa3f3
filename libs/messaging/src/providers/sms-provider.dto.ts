import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsE164Phone } from '@optline/core';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PROVIDER_KINDS, ProviderKind } from './sms-provider-config.entity';

const URL_OPTIONS = { require_protocol: true, require_tld: false, protocols: ['http', 'https'] };

export class PutSmsProviderDto {
  @ApiProperty({ enum: PROVIDER_KINDS, example: 'twilio', description: '`console` prints, `null` forgets (benchmarks), `twilio`, `http` (signed JSON to your carrier)' })
  @IsIn(PROVIDER_KINDS as unknown as string[])
  kind: ProviderKind;

  @ApiPropertyOptional({ example: 'AC7a1b2c3d4e5f60718293a4b5c6d7e8f9', description: 'twilio: Account SID' })
  @ValidateIf((o: PutSmsProviderDto) => o.kind === 'twilio' || o.accountSid !== undefined)
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'accountSid must be a Twilio Account SID (AC followed by 32 hex digits)' })
  accountSid?: string;

  @ApiPropertyOptional({ example: '0123456789abcdef0123456789abcdef', description: 'twilio: Auth Token (write-only; omit to keep the stored one)' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  authToken?: string;

  @ApiPropertyOptional({ example: '+15005550006', description: 'The sender number' })
  @IsOptional()
  @IsE164Phone()
  from?: string;

  @ApiPropertyOptional({ example: 'MG9752274e9e519418a7406176694466fa', description: 'twilio: a Messaging Service instead of a sender number' })
  @IsOptional()
  @Matches(/^MG[0-9a-fA-F]{32}$/, { message: 'messagingServiceSid must be a Messaging Service SID (MG followed by 32 hex digits)' })
  messagingServiceSid?: string;

  @ApiPropertyOptional({ example: 'https://api.twilio.com', description: 'twilio: a Twilio-compatible API base URL (regional edge, proxy)' })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'apiBaseUrl must be an http(s) URL' })
  apiBaseUrl?: string;

  @ApiPropertyOptional({ example: 'https://carrier.example.com/sms', description: 'http: where messages are POSTed' })
  @ValidateIf((o: PutSmsProviderDto) => o.kind === 'http' || o.url !== undefined)
  @IsUrl(URL_OPTIONS, { message: 'url must be an http(s) URL' })
  url?: string;

  @ApiPropertyOptional({ example: 'whsec_0123456789abcdef', description: 'http: HMAC key for both directions (write-only; omit to keep the stored one)' })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  signingSecret?: string;

  @ApiPropertyOptional({ example: 1, description: "The sender's carrier rate in messages per second (long code ≈ 1, short code ≈ 100)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  messagesPerSecond?: number;

  @ApiPropertyOptional({ example: false, description: 'twilio: answer keyword replies in the webhook response (TwiML) instead of a REST call' })
  @IsOptional()
  @IsBoolean()
  replyInTwiml?: boolean;

  @ApiPropertyOptional({ example: true, description: "twilio: look up each new number's line type (Twilio Lookup v2, billed per lookup) on import and before its first text; landlines and invalid numbers are suppressed" })
  @IsOptional()
  @IsBoolean()
  lineTypeLookup?: boolean;
}

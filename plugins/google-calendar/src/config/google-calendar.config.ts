import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsTimeZone } from '@optline/core';
import { Secret } from '@optline/plugin-sdk';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsServiceAccountKey } from './service-account-key.validator';

export const GOOGLE_CALENDAR_PLUGIN_ID = 'google-calendar';

/** How the hub signs in to Google for an installation. */
export const GOOGLE_AUTH_METHODS = ['service_account', 'oauth'] as const;
export type GoogleAuthMethod = (typeof GOOGLE_AUTH_METHODS)[number];

/**
 * Where the client's phone is looked for on an event, tried in the order configured:
 * - `extended_property`: a private extended property (`phoneProperty`, default `phone`), the most
 *   reliable since booking tools write it on purpose;
 * - `description`: the first valid phone number written in the event's description;
 * - `attendee_email`: the first guest who is not the organizer or a room, matched to a contact
 *   this plugin linked to that email earlier.
 */
export const PHONE_SOURCES = ['extended_property', 'description', 'attendee_email'] as const;
export type PhoneSource = (typeof PHONE_SOURCES)[number];

export const DEFAULT_PHONE_SOURCES: PhoneSource[] = ['extended_property', 'description', 'attendee_email'];

/**
 * One workspace's Google Calendar installation. Credentials are either a service-account key
 * (with domain-wide delegation when `delegatedUser` is set, or shared calendars otherwise) or an
 * OAuth client with a refresh token; both are sealed at rest.
 */
export class GoogleCalendarConfig {
  @ApiProperty({ enum: GOOGLE_AUTH_METHODS, example: 'service_account', description: 'Service-account key, or OAuth client + refresh token.' })
  @IsIn(GOOGLE_AUTH_METHODS as unknown as string[], { message: `authMethod must be one of ${GOOGLE_AUTH_METHODS.join(', ')}` })
  authMethod: GoogleAuthMethod;

  @ApiPropertyOptional({
    description: "The service account's JSON key file, as text (authMethod service_account).",
    example: '{"type":"service_account","client_email":"optline@acme.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\\n…"}',
  })
  @Secret()
  @ValidateIf((c: GoogleCalendarConfig) => c.authMethod === 'service_account')
  @IsServiceAccountKey()
  serviceAccountKey?: string;

  @ApiPropertyOptional({
    description: 'With domain-wide delegation: the Workspace user the service account acts as. Leave empty when the calendars are shared with the service account.',
    example: 'frontdesk@acme-dental.example',
  })
  @IsOptional()
  @IsEmail({}, { message: 'delegatedUser must be an email address' })
  delegatedUser?: string;

  @ApiPropertyOptional({ description: 'OAuth client id (authMethod oauth).', example: '1234567890-abc.apps.googleusercontent.com' })
  @ValidateIf((c: GoogleCalendarConfig) => c.authMethod === 'oauth')
  @IsString()
  @IsNotEmpty({ message: 'oauthClientId is required with authMethod oauth' })
  oauthClientId?: string;

  @ApiPropertyOptional({ description: 'OAuth client secret (authMethod oauth).', example: 'GOCSPX-…' })
  @Secret()
  @ValidateIf((c: GoogleCalendarConfig) => c.authMethod === 'oauth')
  @IsString()
  @IsNotEmpty({ message: 'oauthClientSecret is required with authMethod oauth' })
  oauthClientSecret?: string;

  @ApiPropertyOptional({
    description: 'OAuth refresh token with the calendar.events.readonly scope (authMethod oauth). "Connect Google Calendar" obtains it; paste one only for a client you authorised yourself.',
    example: '1//0g…',
  })
  @Secret()
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'oauthRefreshToken must not be empty' })
  @MaxLength(2048)
  oauthRefreshToken?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['bookings@acme-dental.example'],
    description: "Ids of the calendars to watch (the calendar's email-like id); `primary` is the account's own calendar. With OAuth, choose from the account's calendars after connecting.",
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'calendarIds must name at least one calendar' })
  @ArrayMaxSize(25)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(255, { each: true })
  @Matches(/^[^\s/]+$/, { each: true, message: 'each calendar id must be a calendar id such as bookings@acme-dental.example' })
  calendarIds: string[] = ['primary'];

  @ApiPropertyOptional({ enum: PHONE_SOURCES, isArray: true, example: DEFAULT_PHONE_SOURCES, description: "Where to find the client's phone, in order." })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PHONE_SOURCES as unknown as string[], { each: true, message: `each phone source must be one of ${PHONE_SOURCES.join(', ')}` })
  phoneSources: PhoneSource[] = [...DEFAULT_PHONE_SOURCES];

  @ApiPropertyOptional({ example: 'phone', description: 'Key of the private extended property holding the phone.' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'phoneProperty must be a property key of letters, digits, "_", "-" or "."' })
  phoneProperty = 'phone';

  @ApiPropertyOptional({ example: 'timeZone', description: "Key of the private extended property holding the client's IANA time zone, when a booking tool records it." })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'timeZoneProperty must be a property key of letters, digits, "_", "-" or "."' })
  timeZoneProperty = 'timeZone';

  @ApiProperty({ example: 'America/New_York', description: 'The business time zone: appointment times in messages are shown in it unless the client has their own.' })
  @IsTimeZone()
  timeZone: string;

  @ApiPropertyOptional({ example: 90, description: 'How many days ahead appointments are announced (recurring events are expanded within it).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  horizonDays = 90;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Secret } from '@optline/plugin-sdk';
import type { CanonicalEventType } from '@optline/plugin-sdk';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength, registerDecorator, ValidationOptions } from 'class-validator';

/** The canonical events an admin may map a lifecycle stage or a deal stage to. */
export const HUBSPOT_MAPPABLE_EVENTS = [
  'lead.created',
  'contact.created',
  'contact.updated',
  'deal.stage_changed',
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
] as const satisfies readonly CanonicalEventType[];
export type HubspotMappableEvent = (typeof HUBSPOT_MAPPABLE_EVENTS)[number];

/** HubSpot internal property names: lower-case letters, digits and underscores. */
const PROPERTY_NAME = /^[a-z][a-z0-9_]{0,99}$/;
const PROPERTY_MESSAGE = '$property must be a HubSpot internal property name such as "mobilephone"';

/** An object whose keys are stage ids and whose values are mappable canonical events. */
function IsStageEventMap(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStageEventMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must map stage ids to one of ${HUBSPOT_MAPPABLE_EVENTS.join(', ')}`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 100 &&
          Object.entries(value).every(([stage, event]) => stage.length > 0 && stage.length <= 100 && (HUBSPOT_MAPPABLE_EVENTS as readonly string[]).includes(event as string)),
      },
    });
}

/**
 * One workspace's HubSpot connection. Secrets (`accessToken`, `refreshToken`, `clientSecret`,
 * `developerApiKey`) are sealed at rest and never answered.
 */
export class HubspotConfigDto {
  @ApiPropertyOptional({
    description:
      'Private-app access token with crm.objects.contacts.read/write and crm.objects.deals.read, pasted by hand. Leave empty with a public app: "Connect to HubSpot" obtains and refreshes the token.',
    example: 'pat-na1-00000000-0000-0000-0000-000000000000',
  })
  @Secret()
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(2048)
  accessToken?: string;

  @ApiPropertyOptional({ description: "The public app's client id, for \"Connect to HubSpot\" (OAuth).", example: '5a1e2b3c-0000-4000-8000-000000000000' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{8,100}$/, { message: 'clientId must be the app\'s client id (letters, digits and "-")' })
  clientId?: string;

  @ApiPropertyOptional({ description: 'Set by "Connect to HubSpot": the OAuth refresh token. Sealed; never answered.', example: 'na1-aaaa-bbbb-cccc' })
  @Secret()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  refreshToken?: string;

  @ApiPropertyOptional({ description: "The public app's id (developer account): with developerApiKey the hub sets the app's webhook target URL and subscriptions itself.", example: 2046017 })
  @IsOptional()
  @IsInt()
  @Min(1)
  appId?: number;

  @ApiPropertyOptional({ description: "The developer account's API key, used only for the app's webhook settings and subscriptions (HubSpot's webhooks API takes no OAuth token).", example: 'dddddddd-dddd-dddd-dddd-dddddddddddd' })
  @Secret()
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  developerApiKey?: string;

  @ApiProperty({ description: "The app's client secret: HubSpot signs webhooks (v3) with it.", example: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy' })
  @Secret()
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  clientSecret: string;

  @ApiPropertyOptional({ description: 'The HubSpot account (portal / hub id). Events of any other portal are ignored. "Connect to HubSpot" fills it in.', example: 50687303 })
  @IsOptional()
  @IsInt()
  @Min(1)
  portalId?: number;

  @ApiProperty({
    description: 'Contact properties holding the phone for SMS, tried in order; the first usable number wins.',
    example: ['mobilephone', 'phone'],
    type: [String],
    required: false,
  })
  @IsOptional()
  @IsString({ each: true })
  @Matches(PROPERTY_NAME, { each: true, message: PROPERTY_MESSAGE })
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  phoneProperties: string[] = ['mobilephone', 'phone'];

  @ApiProperty({
    description: 'Contact property Optline writes the SMS opt-out status to (create it in HubSpot first). Leave empty to write nothing back.',
    example: 'optline_sms_opted_out',
    required: false,
  })
  @IsOptional()
  @Matches(PROPERTY_NAME, { message: PROPERTY_MESSAGE })
  optOutProperty?: string;

  @ApiProperty({ description: 'Value written when the person is opted out (a checkbox property takes "true").', example: 'true', required: false })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  optedOutValue: string = 'true';

  @ApiProperty({ description: 'Value written when the person is opted in again.', example: 'false', required: false })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  optedInValue: string = 'false';

  @ApiProperty({ description: 'Which consent type the property mirrors.', example: 'marketing', enum: ['marketing', 'transactional', 'conversational'], required: false })
  @IsOptional()
  @IsIn(['marketing', 'transactional', 'conversational'])
  writebackMessageType: 'marketing' | 'transactional' | 'conversational' = 'marketing';

  @ApiPropertyOptional({
    description: 'Lifecycle stage (value of `lifecyclestage`) → canonical event. A change to a stage not listed is a `contact.updated`.',
    example: { lead: 'lead.created', customer: 'contact.updated' },
    type: 'object',
    additionalProperties: { type: 'string', enum: [...HUBSPOT_MAPPABLE_EVENTS] },
  })
  @IsOptional()
  @IsStageEventMap()
  lifecycleStageEvents: Record<string, HubspotMappableEvent> = { lead: 'lead.created' };

  @ApiPropertyOptional({
    description: 'Deal stage id (value of `dealstage`) → canonical event. A stage not listed is a `deal.stage_changed`.',
    example: { appointmentscheduled: 'appointment.booked', closedwon: 'deal.stage_changed' },
    type: 'object',
    additionalProperties: { type: 'string', enum: [...HUBSPOT_MAPPABLE_EVENTS] },
  })
  @IsOptional()
  @IsStageEventMap()
  dealStageEvents: Record<string, HubspotMappableEvent> = {};

  @ApiProperty({
    description: 'Also accept v1/v2 signatures (X-HubSpot-Signature). They carry no timestamp, so a captured request can be replayed: leave off unless an old app needs it.',
    example: false,
    required: false,
  })
  @IsOptional()
  @IsBoolean()
  allowLegacySignatures: boolean = false;
}

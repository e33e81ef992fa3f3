import { ApiProperty } from '@nestjs/swagger';
import { OAuthConnectionDto } from '@optline/plugin-sdk';

export class HubspotSubscriptionDto {
  @ApiProperty({ example: 'contact.propertyChange' })
  eventType: string;

  @ApiProperty({ type: String, nullable: true, example: 'lifecyclestage' })
  propertyName: string | null;
}

/** The app's webhooks: set by the hub through HubSpot's API, or by the admin in HubSpot's app settings. */
export class HubspotWebhookSetupDto {
  @ApiProperty({ example: true, description: 'The hub sets the target URL and subscriptions itself (appId and developerApiKey configured); otherwise set them in the app\'s settings in HubSpot.' })
  managed: boolean;

  @ApiProperty({ example: 'https://sms.example.com/hooks/hubspot/3f0c2a9e-…', description: "The app's webhook target URL." })
  targetUrl: string;

  @ApiProperty({ type: [HubspotSubscriptionDto], description: 'The subscriptions the plugin needs.' })
  subscriptions: HubspotSubscriptionDto[];

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the hub last checked the subscriptions at HubSpot (managed only).' })
  syncedAt: string | null;
}

export class HubspotConnectionViewDto extends OAuthConnectionDto {
  @ApiProperty({ type: HubspotWebhookSetupDto })
  webhooks: HubspotWebhookSetupDto;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, Matches, Max, Min } from 'class-validator';

export const PLUGIN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export class PluginIdParamDto {
  @ApiProperty({ example: 'web-forms' })
  @Matches(PLUGIN_ID_PATTERN, { message: 'pluginId must be a plugin id such as "shopify" or "web-forms"' })
  pluginId: string;
}

export class InstallPluginDto {
  @ApiProperty({
    description:
      "The plugin's config, validated against its schema (see GET /v1/plugins). Secret fields may be left out or sent back masked to keep the stored value.",
    example: { shopDomain: 'acme.myshopify.com', accessToken: 'shpat_…', webhookSecret: '********' },
  })
  @IsObject()
  config: Record<string, unknown>;

  @ApiPropertyOptional({ example: 600, description: "Webhook requests per minute before 429; null restores the plugin's default", nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  requestsPerMinute?: number | null;
}

export const INSTALLATION_EXAMPLE = {
  id: '5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11',
  pluginId: 'web-forms',
  enabled: true,
  config: { forms: [{ key: 'newsletter', title: 'Get our texts' }], signingSecret: '********' },
  webhookUrl: 'https://sms.acme.test/hooks/web-forms/5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11',
  requestsPerMinute: null,
  status: {
    enabledAt: '2026-11-22T08:00:00.000Z',
    lastEventAt: '2026-11-22T09:12:00.000Z',
    lastError: { source: 'verify', message: 'signature does not match', at: '2026-11-22T09:00:00.000Z' },
    counts: {
      received: 42,
      duplicates: 3,
      rejected: 1,
      events: { received: 0, processed: 40, ignored: 2, failed: 0 },
      writebacks: { pending: 0, succeeded: 5, failed: 0, skipped: 0 },
    },
    writebackProblems: [
      {
        consentEventId: '0b7e5f1a-2c3d-4e5f-8a9b-1c2d3e4f5a6b',
        contactId: '6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10',
        messageType: 'marketing',
        state: 'opted_out',
        status: 'succeeded',
        attempts: 2,
        lastError: 'HubSpot answered 503; retried',
        at: '2026-11-22T09:05:00.000Z',
      },
    ],
  },
  createdAt: '2026-11-22T08:00:00.000Z',
  updatedAt: '2026-11-22T08:00:00.000Z',
};

export const PLUGIN_EXAMPLE = {
  id: 'web-forms',
  name: 'Web forms',
  description: 'Hosted opt-in forms, an embeddable snippet and a JSON endpoint for your own forms.',
  emits: ['form.submitted'],
  configSchema: { type: 'object', required: ['forms'], properties: { forms: { type: 'array' }, signingSecret: { type: 'string', secret: true } } },
  writesConsentBack: false,
  installation: INSTALLATION_EXAMPLE,
};

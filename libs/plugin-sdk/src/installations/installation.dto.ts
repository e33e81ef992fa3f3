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

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Secret } from '@optline/plugin-sdk';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** `<name>.myshopify.com`: the permanent shop domain Shopify puts in `X-Shopify-Shop-Domain`. */
export const SHOP_DOMAIN_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}\.myshopify\.com$/;
/** Shopify's quarterly API versions, e.g. `2025-10`. */
export const API_VERSION_PATTERN = /^\d{4}-(01|04|07|10)$/;
export const DEFAULT_API_VERSION = '2025-10';
export const DEFAULT_ABANDONMENT_WAIT_MINUTES = 60;

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/**
 * One workspace's Shopify installation. The two secrets are sealed at rest by the plugin SDK and
 * never returned by the API.
 */
export class ShopifyConfig {
  @ApiProperty({ example: 'acme-outdoors.myshopify.com', description: 'The shop\'s permanent domain (not a custom domain).' })
  @Transform(trimLower)
  @IsString()
  @Matches(SHOP_DOMAIN_PATTERN, { message: '$property must be the shop\'s permanent domain, e.g. acme-outdoors.myshopify.com' })
  shopDomain: string;

  @ApiPropertyOptional({
    example: 'shpat_0123456789abcdef',
    description:
      'Admin API access token (scopes: read_orders, read_customers, write_customers, read_checkouts, read_fulfillments). Pasted by hand, or obtained by the OAuth install (POST /v1/plugins/shopify/installations/{id}/connect); required to enable.',
  })
  @Secret()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  accessToken?: string | null;

  @ApiPropertyOptional({ example: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', description: "The app's client id (API key): needed only for the OAuth install." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  clientId?: string | null;

  @ApiProperty({ example: 'shpss_0123456789abcdef', description: "The app's client secret: Shopify signs every webhook with it (HMAC-SHA256)." })
  @Secret()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  clientSecret: string;

  @ApiPropertyOptional({
    example: 'shpss_previous0123456789',
    description: 'During a secret rotation Shopify may sign with the old secret for up to an hour: webhooks signed with this one are accepted too.',
  })
  @Secret()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  previousClientSecret?: string | null;

  @ApiPropertyOptional({ example: '2026-01-01T12:00:00Z', description: 'After this instant the previous secret is no longer accepted (leave empty to accept it until removed).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  previousClientSecretExpiresAt?: string | null;

  @ApiProperty({ example: DEFAULT_API_VERSION, required: false, description: 'Admin API version used for calls and webhook payloads.' })
  @IsString()
  @Matches(API_VERSION_PATTERN, { message: '$property must be a Shopify API version such as 2025-10' })
  apiVersion: string = DEFAULT_API_VERSION;

  @ApiProperty({
    example: DEFAULT_ABANDONMENT_WAIT_MINUTES,
    required: false,
    description: 'Minutes a checkout must stay unfinished before it counts as abandoned (events carry `recoverAt`).',
  })
  @IsInt()
  @Min(5)
  @Max(7 * 24 * 60)
  abandonmentWaitMinutes: number = DEFAULT_ABANDONMENT_WAIT_MINUTES;

  @ApiProperty({ example: true, required: false, description: 'Write opt-outs made in Optline back to the Shopify customer\'s SMS marketing consent.' })
  @IsBoolean()
  twoWayConsentSync: boolean = true;
}

/**
 * A workspace with the Shopify plugin installed and enabled against the in-process Admin API fake
 * (test/fakes/shopify-admin.fake.ts), and correctly signed webhook deliveries for it.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ShopifyAdminFake } from '../../test/fakes/shopify-admin.fake';
import { HubClient } from './hub';

export const SHOP = 'ridgeline-outfitters.myshopify.com';
export const CLIENT_SECRET = 'shpss_bench_secret_0123456789';
export const ACCESS_TOKEN = 'shpat_bench_token_0123456789';
export const FIXTURES = process.env.BENCH_FIXTURES ?? resolve(__dirname, '../../test/fixtures');

/** The `checkouts/update` sample exactly as stored: the bytes Shopify would sign. */
export function checkoutFixture(): string {
  return readFileSync(resolve(FIXTURES, 'shopify/checkouts-update.json'), 'utf8');
}

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body under the app's client secret. */
export function signShopify(body: string, secret = CLIENT_SECRET): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export function shopifyHeaders(body: string, webhookId: string = randomUUID()): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': 'checkouts/update',
    'X-Shopify-Hmac-Sha256': signShopify(body),
    'X-Shopify-Shop-Domain': SHOP,
    'X-Shopify-API-Version': '2025-10',
    'X-Shopify-Webhook-Id': webhookId,
    'X-Shopify-Triggered-At': new Date().toISOString(),
  };
}

/** Starts the Admin API fake; the hub must be started with BENCH_SHOPIFY_ADMIN_URL = fake.url. */
export async function startShopifyFake(): Promise<ShopifyAdminFake> {
  return new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN }).start();
}

/**
 * Installs and enables the plugin (the hub reads shop.json and registers webhooks at the fake).
 * The installation's ingress limit (Shopify's default: 1,200 requests/minute, then 429) is raised
 * to the API's maximum, as an operator would for a store with this much traffic.
 */
export async function installShopify(hub: HubClient, token: string): Promise<string> {
  const installed = await hub.api<{ installation: { id: string } }>('PUT', '/v1/plugins/shopify', token, {
    config: { shopDomain: SHOP, accessToken: ACCESS_TOKEN, clientSecret: CLIENT_SECRET, abandonmentWaitMinutes: 60 },
    requestsPerMinute: 100_000,
  });
  await hub.api('POST', '/v1/plugins/shopify/enable', token);
  return installed.installation.id;
}

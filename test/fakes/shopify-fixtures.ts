import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's vendor fixtures (test/fixtures), written to Shopify's documented payload shapes. */
export const FIXTURES = resolve(__dirname, '../fixtures');

/** A Shopify sample payload exactly as stored (the bytes Shopify would sign). */
export function shopifyFixture(name: string): string {
  return readFileSync(join(FIXTURES, 'shopify', `${name}.json`), 'utf8');
}

export const SHOPIFY_VECTOR = JSON.parse(readFileSync(join(FIXTURES, 'signature-vectors.json'), 'utf8')).shopify as {
  secret: string;
  body: string;
  expected: string;
};

export interface ShopifyDelivery {
  topic: string;
  body: string;
  shopDomain: string;
  secret: string;
  webhookId?: string;
  apiVersion?: string;
  triggeredAt?: string;
}

let deliveries = 0;

/** The headers Shopify sends with a webhook, signed over `body` with `secret`. */
export function shopifyHeaders(d: ShopifyDelivery): Record<string, string> {
  deliveries += 1;
  return {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': d.topic,
    'X-Shopify-Hmac-Sha256': sign(d.secret, d.body),
    'X-Shopify-Shop-Domain': d.shopDomain,
    'X-Shopify-API-Version': d.apiVersion ?? '2025-10',
    'X-Shopify-Webhook-Id': d.webhookId ?? `b54557e4-bdd9-4b37-8a5f-${String(deliveries).padStart(12, '0')}`,
    'X-Shopify-Event-Id': `98880550-7158-44d4-b7cd-${String(deliveries).padStart(12, '0')}`,
    'X-Shopify-Triggered-At': d.triggeredAt ?? '2026-11-20T19:05:43.000Z',
  };
}

/** Shopify's signature, computed here independently of the plugin's code. */
export function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

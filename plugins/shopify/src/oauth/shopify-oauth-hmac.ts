import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Shopify signs the app's install request and OAuth callback in the query string: `hmac` is the
 * hex HMAC-SHA256, under the app's client secret, of the other parameters sorted by name and
 * joined as `name=value&…` (values as received, not re-encoded). Webhooks differ: base64 over the body.
 */
export function shopifyQueryMessage(query: Record<string, string>): string {
  return Object.keys(query)
    .filter((key) => key !== 'hmac' && key !== 'signature')
    .sort()
    .map((key) => `${key}=${query[key]}`)
    .join('&');
}

export function signShopifyQuery(query: Record<string, string>, secret: string): string {
  return createHmac('sha256', secret).update(shopifyQueryMessage(query), 'utf8').digest('hex');
}

/** Constant-time check of `hmac` against each accepted secret. */
export function verifyShopifyQuery(query: Record<string, string>, secrets: string[]): boolean {
  const given = query.hmac;
  if (typeof given !== 'string' || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const received = Buffer.from(given.toLowerCase(), 'hex');
  return secrets.some((secret) => timingSafeEqual(received, Buffer.from(signShopifyQuery(query, secret), 'hex')));
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** `base64(HMAC-SHA256(secret, rawBody))`, as Shopify puts in `X-Shopify-Hmac-Sha256`. */
export function shopifySignature(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Does `header` carry the signature of `rawBody` under one of `secrets`? The header is decoded
 * and the 32 bytes compared in constant time (comparing base64 text would leak how much of a
 * forged signature was right, and treat equivalent encodings differently). Every secret is
 * always tried, so the time does not say which one matched.
 */
export function verifyShopifySignature(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
  if (!header || secrets.length === 0) return false;
  const value = header.trim();
  if (!BASE64.test(value)) return false;
  const received = Buffer.from(value, 'base64');
  if (received.length !== 32) return false;
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (timingSafeEqual(expected, received)) matched = true;
  }
  return matched;
}

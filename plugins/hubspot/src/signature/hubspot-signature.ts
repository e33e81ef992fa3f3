import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** HubSpot refuses nothing itself: a v3 request older than this is a replay and we refuse it. */
export const HUBSPOT_MAX_REQUEST_AGE_MS = 5 * 60 * 1000;

/**
 * The only escapes HubSpot decodes in the URI before signing v3 (developers.hubspot.com,
 * "Validating requests"). Every other escape (`%20`, `%26`, `%3D`...) stays as sent.
 * Hex digits are matched case-insensitively, as RFC 3986 says they are equivalent.
 */
const V3_DECODED_ESCAPES: Record<string, string> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};
const V3_ESCAPE_PATTERN = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

/** The URI as HubSpot puts it in the v3 signed string: the listed escapes decoded, nothing else. */
export function decodeV3Uri(uri: string): string {
  return uri.replace(V3_ESCAPE_PATTERN, (_match, hex: string) => V3_DECODED_ESCAPES[hex.toUpperCase()]);
}

export interface V3SignatureInput {
  clientSecret: string;
  method: string;
  /** The full URL HubSpot called (scheme, host, path, query), before decoding. */
  uri: string;
  rawBody: Buffer | string;
  /** The `X-HubSpot-Request-Timestamp` header, epoch milliseconds, exactly as sent. */
  timestamp: string;
}

/** base64(HMAC-SHA256(clientSecret, method + decodedUri + rawBody + timestamp)). */
export function signV3(input: V3SignatureInput): string {
  return createHmac('sha256', input.clientSecret)
    .update(input.method.toUpperCase(), 'utf8')
    .update(decodeV3Uri(input.uri), 'utf8')
    .update(typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody)
    .update(input.timestamp, 'utf8')
    .digest('base64');
}

export interface LegacySignatureInput {
  clientSecret: string;
  method: string;
  uri: string;
  rawBody: Buffer | string;
}

/** v1: hex(SHA256(clientSecret + rawBody)). */
export function signV1(input: Pick<LegacySignatureInput, 'clientSecret' | 'rawBody'>): string {
  return createHash('sha256')
    .update(input.clientSecret, 'utf8')
    .update(typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody)
    .digest('hex');
}

/** v2: hex(SHA256(clientSecret + method + uri + rawBody)); the URI is not decoded. */
export function signV2(input: LegacySignatureInput): string {
  return createHash('sha256')
    .update(input.clientSecret + input.method.toUpperCase() + input.uri, 'utf8')
    .update(typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody)
    .digest('hex');
}

/** Compares two byte strings in constant time (a length mismatch is answered at once: lengths are public). */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time check of a base64 v3 signature header against the expected value. */
export function v3SignatureMatches(header: string, input: V3SignatureInput): boolean {
  return sameBytes(Buffer.from(header.trim(), 'base64'), Buffer.from(signV3(input), 'base64'));
}

/** Constant-time check of a hex v1/v2 signature header. */
export function legacySignatureMatches(header: string, version: 'v1' | 'v2', input: LegacySignatureInput): boolean {
  const expected = version === 'v1' ? signV1(input) : signV2(input);
  const given = header.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  return sameBytes(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginRequest } from '@optline/plugin-sdk';
import { verifyHubspotRequest } from './hubspot-request-verifier';
import { decodeV3Uri, legacySignatureMatches, signV1, signV2, signV3, v3SignatureMatches } from './hubspot-signature';

const vectors = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/signature-vectors.json'), 'utf8'));
const v3 = vectors.hubspot_v3;

function request(overrides: Partial<PluginRequest> & { headers?: Record<string, string> }): PluginRequest {
  return {
    method: 'POST',
    path: '/webhooks/hubspot',
    publicUrl: v3.uri,
    headers: {},
    query: {},
    rawBody: Buffer.from(v3.body, 'utf8'),
    body: undefined,
    ip: '127.0.0.1',
    receivedAt: new Date(Number(v3.timestamp)),
    ...overrides,
  };
}

const v3Headers = { 'x-hubspot-signature-v3': v3.expected, 'x-hubspot-request-timestamp': v3.timestamp };
const settings = { clientSecret: v3.secret, allowLegacySignatures: false };

describe('HubSpot signatures', () => {
  it('computes the published vectors for v1, v2 and v3', () => {
    expect(signV1({ clientSecret: vectors.hubspot_v1.secret, rawBody: vectors.hubspot_v1.body })).toBe(vectors.hubspot_v1.expected);
    const v2 = vectors.hubspot_v2;
    expect(signV2({ clientSecret: v2.secret, method: v2.method, uri: v2.uri, rawBody: v2.body })).toBe(v2.expected);
    expect(signV3({ clientSecret: v3.secret, method: v3.method, uri: v3.uri, rawBody: v3.body, timestamp: v3.timestamp })).toBe(v3.expected);
  });

  it('decodes only the escapes HubSpot lists, in either case', () => {
    expect(decodeV3Uri('https://h.test/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm')).toBe("https://h.test/a:b/c?d@e!f$g'h(i)j*k,l;m");
    expect(decodeV3Uri('https://h.test/x?q=a%3a%2c')).toBe('https://h.test/x?q=a:,');
    // Spaces, ampersands, equals signs and percent signs stay encoded.
    expect(decodeV3Uri('https://h.test/x?q=a%20b%26c%3Dd%25')).toBe('https://h.test/x?q=a%20b%26c%3Dd%25');
  });

  it('signs the decoded URI, so an encoded colon in the query verifies against HubSpot’s form', () => {
    const timestamp = '1700000000000';
    const signedByHubspot = signV3({ clientSecret: 's', method: 'POST', uri: 'https://h.test/hook?at=10:30', rawBody: '[]', timestamp });
    expect(v3SignatureMatches(signedByHubspot, { clientSecret: 's', method: 'POST', uri: 'https://h.test/hook?at=10%3A30', rawBody: '[]', timestamp })).toBe(true);
    expect(v3SignatureMatches(signedByHubspot, { clientSecret: 's', method: 'POST', uri: 'https://h.test/hook?at=10%20:30', rawBody: '[]', timestamp })).toBe(false);
  });

  it('refuses legacy signatures that are not hex or not the right length', () => {
    const input = { clientSecret: 'x', method: 'POST', uri: 'https://h.test', rawBody: '' };
    expect(legacySignatureMatches('zz', 'v1', input)).toBe(false);
    expect(legacySignatureMatches(signV1(input).slice(2), 'v1', input)).toBe(false);
    expect(legacySignatureMatches(signV1(input).toUpperCase(), 'v1', input)).toBe(true);
  });
});

describe('verifyHubspotRequest', () => {
  const now = Number(v3.timestamp);

  it('accepts the v3 vector within five minutes, either side', () => {
    expect(verifyHubspotRequest(request({ headers: v3Headers }), settings, now)).toEqual({ ok: true });
    expect(verifyHubspotRequest(request({ headers: v3Headers }), settings, now + 5 * 60 * 1000)).toEqual({ ok: true });
    expect(verifyHubspotRequest(request({ headers: v3Headers }), settings, now - 5 * 60 * 1000)).toEqual({ ok: true });
  });

  it('refuses a timestamp older than five minutes, or too far ahead', () => {
    expect(verifyHubspotRequest(request({ headers: v3Headers }), settings, now + 5 * 60 * 1000 + 1)).toMatchObject({ ok: false, reason: expect.stringContaining('old') });
    expect(verifyHubspotRequest(request({ headers: v3Headers }), settings, now - 5 * 60 * 1000 - 1)).toMatchObject({ ok: false, reason: expect.stringContaining('future') });
  });

  it('refuses a wrong secret, another method, an altered URI or body, a missing or malformed timestamp', () => {
    expect(verifyHubspotRequest(request({ headers: v3Headers }), { ...settings, clientSecret: 'other' }, now).ok).toBe(false);
    expect(verifyHubspotRequest(request({ headers: v3Headers, method: 'PUT' }), settings, now).ok).toBe(false);
    expect(verifyHubspotRequest(request({ headers: v3Headers, publicUrl: `${v3.uri}?x=1` }), settings, now).ok).toBe(false);
    expect(verifyHubspotRequest(request({ headers: v3Headers, rawBody: Buffer.from(v3.body.replace('208114730058', '208114730059')) }), settings, now).ok).toBe(false);
    expect(verifyHubspotRequest(request({ headers: { 'x-hubspot-signature-v3': v3.expected } }), settings, now).ok).toBe(false);
    expect(verifyHubspotRequest(request({ headers: { ...v3Headers, 'x-hubspot-request-timestamp': '17e11' } }), settings, now).ok).toBe(false);
    expect(verifyHubspotRequest(request({ headers: { ...v3Headers, 'x-hubspot-signature-v3': 'not base64 at all' } }), settings, now).ok).toBe(false);
  });

  it('refuses v1/v2 unless the installation allows them, then checks them', () => {
    const v1 = vectors.hubspot_v1;
    const v1Request = request({ rawBody: Buffer.from(v1.body), headers: { 'x-hubspot-signature': v1.expected, 'x-hubspot-signature-version': 'v1' } });
    expect(verifyHubspotRequest(v1Request, { clientSecret: v1.secret, allowLegacySignatures: false }, now)).toMatchObject({ ok: false, reason: expect.stringContaining('allowLegacySignatures') });
    expect(verifyHubspotRequest(v1Request, { clientSecret: v1.secret, allowLegacySignatures: true }, now)).toEqual({ ok: true });
    expect(verifyHubspotRequest(v1Request, { clientSecret: 'wrong', allowLegacySignatures: true }, now).ok).toBe(false);

    const v2 = vectors.hubspot_v2;
    const v2Request = request({ method: v2.method, publicUrl: v2.uri, rawBody: Buffer.from(v2.body), headers: { 'x-hubspot-signature': v2.expected, 'x-hubspot-signature-version': 'v2' } });
    expect(verifyHubspotRequest(v2Request, { clientSecret: v2.secret, allowLegacySignatures: true }, now)).toEqual({ ok: true });
    expect(verifyHubspotRequest({ ...v2Request, publicUrl: `${v2.uri}/other` }, { clientSecret: v2.secret, allowLegacySignatures: true }, now).ok).toBe(false);
  });

  it('refuses a request with no signature at all', () => {
    expect(verifyHubspotRequest(request({}), { ...settings, allowLegacySignatures: true }, now)).toMatchObject({ ok: false });
  });
});

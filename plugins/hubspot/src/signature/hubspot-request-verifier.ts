import type { PluginRequest, VerifyResult } from '@optline/plugin-sdk';
import { HUBSPOT_MAX_REQUEST_AGE_MS, legacySignatureMatches, v3SignatureMatches } from './hubspot-signature';

export interface HubspotVerifySettings {
  clientSecret: string;
  /** Accept v1/v2 signatures (no replay protection) when a request carries no v3 signature. */
  allowLegacySignatures: boolean;
}

/**
 * Decides whether a webhook (a subscription delivery or a workflow "send a webhook" call, which
 * HubSpot signs the same way) is authentic. v3 is checked whenever its header is present; v1/v2
 * only when the installation asks for them. The URI is the public URL the hub rebuilt from
 * PUBLIC_URL, because behind a proxy the Host header is not what HubSpot signed.
 *
 * @param nowMs the hub clock's now, so the 5-minute window follows the same clock as everything else.
 */
export function verifyHubspotRequest(request: PluginRequest, settings: HubspotVerifySettings, nowMs: number): VerifyResult {
  const v3 = request.headers['x-hubspot-signature-v3'];
  if (v3) {
    const timestamp = request.headers['x-hubspot-request-timestamp']?.trim();
    if (!timestamp || !/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'v3: X-HubSpot-Request-Timestamp is missing or not epoch milliseconds' };
    const skew = nowMs - Number(timestamp);
    if (skew > HUBSPOT_MAX_REQUEST_AGE_MS) return { ok: false, reason: `v3: request timestamp is ${Math.round(skew / 1000)} s old (limit 300 s)` };
    // A timestamp far in the future would let a captured request be replayed later.
    if (-skew > HUBSPOT_MAX_REQUEST_AGE_MS) return { ok: false, reason: `v3: request timestamp is ${Math.round(-skew / 1000)} s in the future` };
    const matches = v3SignatureMatches(v3, {
      clientSecret: settings.clientSecret,
      method: request.method,
      uri: request.publicUrl,
      rawBody: request.rawBody,
      timestamp,
    });
    return matches ? { ok: true } : { ok: false, reason: 'v3: signature does not match (wrong client secret, or URI/body changed on the way)' };
  }

  const legacy = request.headers['x-hubspot-signature'];
  if (!legacy) return { ok: false, reason: 'no X-HubSpot-Signature-v3 header' };
  if (!settings.allowLegacySignatures) return { ok: false, reason: 'v1/v2 signature refused: the installation accepts v3 only (allowLegacySignatures is off)' };
  const version = (request.headers['x-hubspot-signature-version'] ?? 'v1').trim().toLowerCase();
  if (version !== 'v1' && version !== 'v2') return { ok: false, reason: `unknown X-HubSpot-Signature-Version "${version}"` };
  const matches = legacySignatureMatches(legacy, version, {
    clientSecret: settings.clientSecret,
    method: request.method,
    uri: request.publicUrl,
    rawBody: request.rawBody,
  });
  return matches ? { ok: true } : { ok: false, reason: `${version}: signature does not match` };
}

import type { CanonicalConsentHint } from '@optline/plugin-sdk';
import type { ShopifySmsMarketingConsent } from './shopify-payloads';

/**
 * What Shopify's `sms_marketing_consent` means for the ledger (docs/compliance.md): only `subscribed`
 * is marketing consent; `unsubscribed` is an opt-out; `redacted` means erase the person;
 * `pending`, `not_subscribed` and null say nothing we may record (Shopify's "pending" is its own
 * confirmation in progress, not an Optline double opt-in, so it is not mapped to our `pending`).
 */
export type SmsConsentVerdict =
  | { kind: 'record'; hint: CanonicalConsentHint }
  | { kind: 'redact' }
  | { kind: 'none'; shopifyState: string | null };

/** Vendor facts kept as evidence beside the ledger entry. */
export interface ConsentEvidenceContext {
  topic: string;
  webhookId: string;
  shopDomain: string;
  customerId: string | null;
  phone: string | null;
}

export function mapSmsConsent(consent: ShopifySmsMarketingConsent | null | undefined, ctx: ConsentEvidenceContext): SmsConsentVerdict {
  const state = lower(consent?.state);
  if (state === 'redacted') return { kind: 'redact' };
  if (state !== 'subscribed' && state !== 'unsubscribed') return { kind: 'none', shopifyState: state };
  return {
    kind: 'record',
    hint: {
      types: ['marketing'],
      state: state === 'subscribed' ? 'opted_in' : 'opted_out',
      source: 'shopify',
      evidence: {
        shopifyState: state,
        optInLevel: lower(consent?.opt_in_level),
        collectedFrom: lower(consent?.consent_collected_from),
        consentUpdatedAt: consent?.consent_updated_at ?? null,
        shopifyCustomerId: ctx.customerId,
        phone: ctx.phone,
        shopDomain: ctx.shopDomain,
        topic: ctx.topic,
        webhookId: ctx.webhookId,
      },
    },
  };
}

/** Shopify's samples use lower case where the docs use upper case: compare case-insensitively. */
function lower(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null;
}

import type { CanonicalContactHint } from '@optline/plugin-sdk';
import { PayloadError } from '@optline/plugin-sdk';
import type { ShopifyAddress, ShopifyCustomer, ShopifyLineItem } from './shopify-payloads';
import { shopifyId } from './shopify-json';

/** Readers shared by the topic mappings: tolerant of Shopify's nulls, strict where a topic needs a field. */

export const MAX_LINE_ITEMS = 20;

/** Where a phone number was found in a payload, in the order it is preferred. */
export interface PhoneCandidate {
  source: string;
  value: string;
}

export function contactHint(customer: ShopifyCustomer | null, email: string | null | undefined, address: ShopifyAddress | null | undefined): Omit<CanonicalContactHint, 'phone'> {
  const customerId = shopifyId(customer?.id ?? customer?.admin_graphql_api_id);
  const hint: Omit<CanonicalContactHint, 'phone'> = {};
  const mail = text(customer?.email) ?? text(email);
  if (mail) hint.email = mail;
  const firstName = text(customer?.first_name) ?? text(address?.first_name);
  const lastName = text(customer?.last_name) ?? text(address?.last_name);
  if (firstName) hint.firstName = firstName;
  if (lastName) hint.lastName = lastName;
  if (customerId) hint.externalId = { source: 'shopify', id: customerId };
  return hint;
}

export function lineItemFields(items: ShopifyLineItem[] | null | undefined): Record<string, unknown> {
  const list = Array.isArray(items) ? items : [];
  const lineItems = list.slice(0, MAX_LINE_ITEMS).map((item) => ({
    title: item.presentment_title ?? item.title ?? item.name ?? null,
    variantTitle: item.variant_title ?? null,
    quantity: item.quantity ?? 1,
    price: item.price ?? null,
    sku: item.sku ?? null,
    productId: shopifyId(item.product_id),
    variantId: shopifyId(item.variant_id),
  }));
  return {
    lineItems,
    itemCount: list.reduce((sum, item) => sum + (typeof item.quantity === 'number' ? item.quantity : 1), 0),
    firstItemTitle: lineItems[0]?.title ?? null,
  };
}

export function phones(entries: [string, string | null | undefined][]): PhoneCandidate[] {
  const out: PhoneCandidate[] = [];
  for (const [source, value] of entries) {
    const v = text(value);
    if (v && !out.some((c) => c.value === v)) out.push({ source, value: v });
  }
  return out;
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PayloadError(`${field} is required`, field);
  return value;
}

export function requireId(value: unknown, field: string): string {
  const id = shopifyId(value);
  if (!id) throw new PayloadError(`${field} must be a Shopify id`, field);
  return id;
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function strings(value: unknown): string[] | null {
  return Array.isArray(value) && value.length > 0 ? value.filter((v): v is string => typeof v === 'string') : null;
}

export function date(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

export function iso(at: Date | null): string | null {
  return at ? at.toISOString() : null;
}


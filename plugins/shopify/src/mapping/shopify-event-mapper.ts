import type { CanonicalContactHint, CanonicalEvent } from '@optline/plugin-sdk';
import { PayloadError } from '@optline/plugin-sdk';
import { contactHint, date, iso, lineItemFields, PhoneCandidate, phones, requireId, requireString, strings } from './payload-fields';

export type { PhoneCandidate } from './payload-fields';
import type {
  ShopifyCheckout,
  ShopifyCustomer,
  ShopifyFulfillment,
  ShopifyMarketingConsentUpdate,
  ShopifyOrder,
} from './shopify-payloads';
import { isPrivacyTopic, PrivacyTopic } from './shopify-topics';
import { shopifyId } from './shopify-json';
import { mapSmsConsent } from './sms-consent';

/**
 * A canonical event whose phone is still to be chosen: the plugin asks the hub which candidate
 * is a usable number (that needs the workspace's country) and then calls `completeDraft`.
 */
export interface DraftEvent {
  event: Omit<CanonicalEvent, 'contact'> & { contact?: Omit<CanonicalContactHint, 'phone'> };
  phoneCandidates: PhoneCandidate[];
  /** The consent hint is about this phone only: it is kept only when the chosen phone came from here. */
  consentPhoneSource?: string;
}

export type TopicMapping =
  | { kind: 'events'; drafts: DraftEvent[] }
  /** Nothing to store, with the reason (a completed checkout, a topic we do not use). */
  | { kind: 'ignored'; reason: string }
  /** Shopify says the customer's data is redacted: erase them (and store the trace event). */
  | { kind: 'redact'; customerId: string; phone: string | null; draft: DraftEvent }
  | { kind: 'privacy'; topic: PrivacyTopic; payload: Record<string, unknown> };

export interface MappingContext {
  topic: string;
  /** `X-Shopify-Webhook-Id`: the same on every retry of one delivery. */
  webhookId: string;
  shopDomain: string;
  /** `X-Shopify-Triggered-At`, when sent. */
  triggeredAt: Date | null;
  receivedAt: Date;
  abandonmentWaitMinutes: number;
}

/** Turns one verified Shopify delivery into canonical event drafts. Pure. */
export function mapShopifyTopic(payload: unknown, ctx: MappingContext): TopicMapping {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new PayloadError('the body must be a JSON object', 'body');
  const body = payload as Record<string, unknown>;
  if (isPrivacyTopic(ctx.topic)) return { kind: 'privacy', topic: ctx.topic, payload: body };
  switch (ctx.topic) {
    case 'checkouts/create':
    case 'checkouts/update':
      return mapCheckout(body as ShopifyCheckout, ctx);
    case 'orders/create':
      return { kind: 'events', drafts: [mapOrder(body as ShopifyOrder, ctx)] };
    case 'orders/fulfilled':
      return mapOrderFulfilled(body as ShopifyOrder, ctx);
    case 'fulfillments/create':
    case 'fulfillments/update':
      return mapFulfillment(body as ShopifyFulfillment, ctx);
    case 'customers/create':
    case 'customers/update':
      return mapCustomer(body as ShopifyCustomer, ctx);
    case 'customers_marketing_consent/update':
      return mapConsentUpdate(body as ShopifyMarketingConsentUpdate, ctx);
    default:
      return { kind: 'ignored', reason: `topic ${ctx.topic} is not used by Optline` };
  }
}

function mapCheckout(checkout: ShopifyCheckout, ctx: MappingContext): TopicMapping {
  const token = requireString(checkout.token, 'token');
  if (checkout.completed_at) return { kind: 'ignored', reason: 'the checkout is completed; its order.created follows' };
  const updatedAt = date(checkout.updated_at) ?? date(checkout.created_at);
  const occurredAt = updatedAt ?? ctx.triggeredAt ?? ctx.receivedAt;
  const waitMs = ctx.abandonmentWaitMinutes * 60_000;
  const customer = checkout.customer ?? null;
  const candidates = phones([
    ['sms_marketing_phone', checkout.sms_marketing_phone],
    ['phone', checkout.phone],
    ['customer.phone', customer?.phone],
    ['shipping_address.phone', checkout.shipping_address?.phone],
  ]);
  const smsPhone = candidates.find((c) => c.source === 'sms_marketing_phone');
  const acceptsSms = checkout.buyer_accepts_sms_marketing === true;
  const draft: DraftEvent = {
    event: {
      type: 'checkout.updated',
      dedupeKey: ctx.webhookId,
      occurredAt,
      contact: contactHint(customer, checkout.email, checkout.shipping_address ?? checkout.billing_address),
      correlation: { checkoutToken: token },
      data: {
        topic: ctx.topic,
        shopDomain: ctx.shopDomain,
        checkoutToken: token,
        cartToken: checkout.cart_token ?? null,
        checkoutId: shopifyId(checkout.id),
        // Shopify's abandoned-checkout recovery link (the name the built-in abandoned-cart flow uses).
        checkoutUrl: checkout.abandoned_checkout_url ?? null,
        ...lineItemFields(checkout.line_items),
        totalPrice: checkout.total_price ?? null,
        subtotalPrice: checkout.subtotal_price ?? null,
        totalTax: checkout.total_tax ?? null,
        totalDiscounts: checkout.total_discounts ?? null,
        currency: checkout.presentment_currency ?? checkout.currency ?? null,
        acceptsSmsMarketing: acceptsSms,
        customerId: shopifyId(customer?.id),
        createdAt: iso(date(checkout.created_at)),
        updatedAt: iso(updatedAt),
        abandonmentWait: `PT${ctx.abandonmentWaitMinutes}M`,
        recoverAt: new Date(occurredAt.getTime() + waitMs).toISOString(),
      },
    },
    phoneCandidates: candidates,
  };
  if (acceptsSms && smsPhone) {
    // The box ticked at checkout, next to the merchant's SMS disclosure: express consent for that number.
    draft.event.consent = {
      types: ['marketing'],
      state: 'opted_in',
      source: 'shopify',
      evidence: {
        collectedFrom: 'checkout',
        field: 'buyer_accepts_sms_marketing',
        smsMarketingPhone: smsPhone.value,
        checkoutToken: token,
        shopifyCustomerId: shopifyId(customer?.id),
        shopDomain: ctx.shopDomain,
        topic: ctx.topic,
        webhookId: ctx.webhookId,
      },
    };
    draft.consentPhoneSource = 'sms_marketing_phone';
  }
  return { kind: 'events', drafts: [draft] };
}

function mapOrder(order: ShopifyOrder, ctx: MappingContext): DraftEvent {
  const orderId = requireId(order.id, 'id');
  const createdAt = date(order.created_at) ?? date(order.processed_at);
  const customer = order.customer ?? null;
  const hint = contactHint(customer, order.email, order.shipping_address ?? order.billing_address);
  return {
    event: {
      type: 'order.created',
      dedupeKey: ctx.webhookId,
      occurredAt: createdAt ?? ctx.triggeredAt ?? ctx.receivedAt,
      // Win-back flows measure lapse from lastOrderAt, loyalty counts orders, anniversaries start at customerSince.
      contact: { ...hint, attributes: { ...(createdAt && { lastOrderAt: createdAt.toISOString() }), ...customerAttributes(customer) } },
      correlation: { orderId, ...(order.checkout_token && { checkoutToken: order.checkout_token }) },
      data: { ...orderFields(order, ctx, orderId, createdAt), customerOrderCount: ordersCountOf(customer) },
    },
    phoneCandidates: orderPhones(order),
  };
}

function orderFields(order: ShopifyOrder, ctx: MappingContext, orderId: string, createdAt: Date | null): Record<string, unknown> {
  return {
    topic: ctx.topic,
    shopDomain: ctx.shopDomain,
    orderId,
    orderName: order.name ?? null,
    orderNumber: order.order_number ?? null,
    checkoutToken: order.checkout_token ?? null,
    cartToken: order.cart_token ?? null,
    ...lineItemFields(order.line_items),
    totalPrice: order.total_price ?? null,
    subtotalPrice: order.subtotal_price ?? null,
    totalTax: order.total_tax ?? null,
    currency: order.currency ?? null,
    financialStatus: order.financial_status ?? null,
    fulfillmentStatus: order.fulfillment_status ?? null,
    orderStatusUrl: order.order_status_url ?? null,
    customerId: shopifyId(order.customer?.id),
    createdAt: iso(createdAt),
  };
}

function orderPhones(order: ShopifyOrder): PhoneCandidate[] {
  return phones([
    ['phone', order.phone],
    ['customer.phone', order.customer?.phone],
    ['shipping_address.phone', order.shipping_address?.phone],
    ['billing_address.phone', order.billing_address?.phone],
  ]);
}

/** `orders/fulfilled`: one event per successful fulfillment the order carries. */
function mapOrderFulfilled(order: ShopifyOrder, ctx: MappingContext): TopicMapping {
  const orderId = requireId(order.id, 'id');
  const fulfillments = (order.fulfillments ?? []).filter((f) => isShipped(f));
  if (fulfillments.length === 0) return { kind: 'ignored', reason: 'the order carries no successful fulfillment' };
  const drafts = fulfillments.map((fulfillment, i) => {
    const withOrder = { ...fulfillment, id: fulfillment.id ?? `${orderId}-${i}`, order_id: fulfillment.order_id ?? orderId };
    return fulfillmentDraft(withOrder, ctx, {
      contact: contactHint(order.customer ?? null, order.email, order.shipping_address),
      phones: orderPhones(order),
      orderName: order.name ?? null,
    });
  });
  return { kind: 'events', drafts };
}

function mapFulfillment(fulfillment: ShopifyFulfillment, ctx: MappingContext): TopicMapping {
  requireId(fulfillment.id, 'id');
  requireId(fulfillment.order_id, 'order_id');
  if (!isShipped(fulfillment)) return { kind: 'ignored', reason: `fulfillment status is ${fulfillment.status ?? 'unknown'}` };
  const destination = fulfillment.destination ?? null;
  return {
    kind: 'events',
    drafts: [
      fulfillmentDraft(fulfillment, ctx, {
        contact: contactHint(null, fulfillment.email, destination),
        phones: phones([['destination.phone', destination?.phone]]),
        // A fulfillment is named after its order: "#1042.1" belongs to "#1042".
        orderName: fulfillment.name ? fulfillment.name.replace(/\.\d+$/, '') : null,
      }),
    ],
  };
}

/**
 * A shipment event. Its dedupe key is the fact, not the delivery: "fulfillment F shipped with
 * tracking T" or "fulfillment F delivered". `fulfillments/update` fires for every carrier scan
 * (in transit, out for delivery...) and `orders/fulfilled` repeats what `fulfillments/create`
 * said; keyed by the fact, each parcel is announced once, and again only when its tracking
 * number changes. A retried delivery carries the same fact, so it stays a duplicate too.
 */
function fulfillmentDraft(
  fulfillment: ShopifyFulfillment,
  ctx: MappingContext,
  who: { contact: Omit<CanonicalContactHint, 'phone'>; phones: PhoneCandidate[]; orderName: string | null },
): DraftEvent {
  const fulfillmentId = requireId(fulfillment.id, 'id');
  const orderId = requireId(fulfillment.order_id, 'order_id');
  const shipmentStatus = fulfillment.shipment_status?.toLowerCase() ?? null;
  const updatedAt = date(fulfillment.updated_at) ?? date(fulfillment.created_at);
  const trackingNumbers = strings(fulfillment.tracking_numbers) ?? (fulfillment.tracking_number ? [fulfillment.tracking_number] : []);
  const trackingUrls = strings(fulfillment.tracking_urls) ?? (fulfillment.tracking_url ? [fulfillment.tracking_url] : []);
  const delivered = shipmentStatus === 'delivered';
  const trackingNumber = fulfillment.tracking_number ?? trackingNumbers[0] ?? null;
  return {
    event: {
      type: delivered ? 'order.delivered' : 'order.shipped',
      dedupeKey: delivered ? `fulfillment:${fulfillmentId}:delivered` : `fulfillment:${fulfillmentId}:shipped:${trackingNumber ?? ''}`,
      occurredAt: updatedAt ?? ctx.triggeredAt ?? ctx.receivedAt,
      contact: who.contact,
      correlation: { orderId, fulfillmentId },
      data: {
        topic: ctx.topic,
        shopDomain: ctx.shopDomain,
        orderId,
        orderName: who.orderName,
        fulfillmentId,
        fulfillmentName: fulfillment.name ?? null,
        status: fulfillment.status ?? null,
        shipmentStatus,
        trackingCompany: fulfillment.tracking_company ?? null,
        trackingNumber,
        trackingNumbers,
        trackingUrl: fulfillment.tracking_url ?? trackingUrls[0] ?? null,
        trackingUrls,
        hasTracking: trackingNumbers.length > 0 || trackingUrls.length > 0,
        ...lineItemFields(fulfillment.line_items),
        updatedAt: iso(updatedAt),
      },
    },
    phoneCandidates: who.phones,
  };
}

function mapCustomer(customer: ShopifyCustomer, ctx: MappingContext): TopicMapping {
  const customerId = requireId(customer.id ?? customer.admin_graphql_api_id, 'id');
  const consent = mapSmsConsent(customer.sms_marketing_consent, { ...evidenceOf(ctx), customerId, phone: customer.phone ?? null });
  const updatedAt = date(customer.updated_at) ?? date(customer.created_at);
  const draft: DraftEvent = {
    event: {
      type: ctx.topic === 'customers/create' ? 'contact.created' : 'contact.updated',
      dedupeKey: ctx.webhookId,
      occurredAt: updatedAt ?? ctx.triggeredAt ?? ctx.receivedAt,
      contact: { ...contactHint(customer, customer.email, customer.default_address), attributes: customerAttributes(customer) },
      correlation: { customerId },
      data: {
        topic: ctx.topic,
        shopDomain: ctx.shopDomain,
        customerId,
        customerState: customer.state ?? null,
        tags: customer.tags ?? null,
        ordersCount: ordersCountOf(customer),
        smsMarketingState: consentStateOf(customer.sms_marketing_consent),
      },
    },
    phoneCandidates: phones([
      ['customer.phone', customer.phone],
      ['default_address.phone', customer.default_address?.phone],
    ]),
  };
  if (consent.kind === 'redact') return { kind: 'redact', customerId, phone: customer.phone ?? null, draft: withoutPerson(draft) };
  if (consent.kind === 'record') {
    draft.event.consent = consent.hint;
    draft.consentPhoneSource = 'customer.phone';
  }
  return { kind: 'events', drafts: [draft] };
}

function mapConsentUpdate(update: ShopifyMarketingConsentUpdate, ctx: MappingContext): TopicMapping {
  const customerId = requireId(update.id, 'id');
  const consent = mapSmsConsent(update.sms_marketing_consent, { ...evidenceOf(ctx), customerId, phone: update.phone ?? null });
  const occurredAt = date(update.sms_marketing_consent?.consent_updated_at) ?? ctx.triggeredAt ?? ctx.receivedAt;
  const draft: DraftEvent = {
    event: {
      type: 'contact.updated',
      dedupeKey: ctx.webhookId,
      occurredAt,
      contact: { externalId: { source: 'shopify', id: customerId } },
      correlation: { customerId },
      data: {
        topic: ctx.topic,
        shopDomain: ctx.shopDomain,
        customerId,
        smsMarketingState: consentStateOf(update.sms_marketing_consent),
        optInLevel: update.sms_marketing_consent?.opt_in_level?.toLowerCase() ?? null,
        collectedFrom: update.sms_marketing_consent?.consent_collected_from?.toLowerCase() ?? null,
      },
    },
    phoneCandidates: phones([['phone', update.phone]]),
  };
  if (consent.kind === 'redact') return { kind: 'redact', customerId, phone: update.phone ?? null, draft: withoutPerson(draft) };
  if (consent.kind === 'record') {
    draft.event.consent = consent.hint;
    draft.consentPhoneSource = 'phone';
  }
  return { kind: 'events', drafts: [draft] };
}

/** The trace of a redaction keeps no personal data and names nobody to upsert. */
/**
 * How many orders the customer has placed: `orders_count` (REST) or `number_of_orders` (newer
 * API versions, a string), as Shopify counts them with this order included.
 */
function ordersCountOf(customer: ShopifyCustomer | null): number | null {
  const raw = customer?.orders_count ?? customer?.number_of_orders ?? null;
  const count = typeof raw === 'string' ? Number(raw) : raw;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null;
}

/** The customer facts flows read from the contact: `ordersCount`, and `customerSince` (the day they became a customer, for anniversaries). */
function customerAttributes(customer: ShopifyCustomer | null): Record<string, unknown> {
  const ordersCount = ordersCountOf(customer);
  const since = /^(\d{4}-\d{2}-\d{2})/.exec(customer?.created_at ?? '')?.[1];
  return { ...(ordersCount !== null && { ordersCount }), ...(since && { customerSince: since }) };
}

function withoutPerson(draft: DraftEvent): DraftEvent {
  return { event: { ...draft.event, contact: undefined, consent: undefined, data: { ...draft.event.data, redacted: true } }, phoneCandidates: [] };
}

function isShipped(fulfillment: ShopifyFulfillment): boolean {
  const status = fulfillment.status?.toLowerCase();
  return status === undefined || status === 'success' || status === 'open' || status === 'pending';
}

function consentStateOf(consent: { state?: string | null } | null | undefined): string | null {
  return consent?.state ? consent.state.toLowerCase() : null;
}

function evidenceOf(ctx: MappingContext) {
  return { topic: ctx.topic, webhookId: ctx.webhookId, shopDomain: ctx.shopDomain };
}

/** The phone picked for a draft: the first usable candidate (E.164), or the first unusable one as received. */
export interface ChosenPhone {
  phone: string | null;
  /** The candidate's source when it was usable; null when none was. */
  source: string | null;
}

/**
 * Finishes a draft with its chosen phone. An unusable number is still handed on as received, so
 * the hub stores the event, starts nothing, and says in the event's outcome which number it could
 * not use. The consent statement is kept only when it is about the chosen number.
 */
export function completeDraft(draft: DraftEvent, chosen: ChosenPhone): CanonicalEvent {
  const { contact, consent, ...rest } = draft.event;
  const event: CanonicalEvent = { ...rest, data: { ...rest.data, phoneSource: chosen.source } };
  const hint: CanonicalContactHint = { ...contact, ...(chosen.phone && { phone: chosen.phone }) };
  if (Object.keys(hint).length > 0) event.contact = hint;
  if (consent && chosen.source !== null && chosen.source === draft.consentPhoneSource) event.consent = consent;
  return event;
}

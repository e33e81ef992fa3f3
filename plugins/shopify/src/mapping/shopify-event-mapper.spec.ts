import { PayloadError } from '@optline/plugin-sdk';
import { shopifyFixture } from '../../../../test/fakes/shopify-fixtures';
import { completeDraft, mapShopifyTopic, MappingContext, TopicMapping } from './shopify-event-mapper';
import { parseShopifyJson } from './shopify-json';

const receivedAt = new Date('2026-11-20T19:06:00Z');
const ctx = (topic: string, extra: Partial<MappingContext> = {}): MappingContext => ({
  topic,
  webhookId: 'wh-1',
  shopDomain: 'ridgeline-outfitters.myshopify.com',
  triggeredAt: null,
  receivedAt,
  abandonmentWaitMinutes: 60,
  ...extra,
});
const fixture = (name: string) => parseShopifyJson(shopifyFixture(name));
const events = (m: TopicMapping) => {
  if (m.kind !== 'events') throw new Error(`expected events, got ${m.kind}`);
  return m.drafts;
};

describe('Shopify topics → canonical events', () => {
  it('maps a checkout to checkout.updated with recovery link, items, totals, the SMS phone first and its consent', () => {
    const [draft] = events(mapShopifyTopic(fixture('checkouts-create'), ctx('checkouts/create')));
    expect(draft.event).toMatchObject({
      type: 'checkout.updated',
      dedupeKey: 'wh-1',
      occurredAt: new Date('2026-11-20T14:05:43-05:00'),
      correlation: { checkoutToken: 'e4b8d27f1c90' },
      contact: { email: 'rosa.alvarez@example.com', firstName: 'Rosa', lastName: 'Alvarez', externalId: { source: 'shopify', id: '7390085526' } },
      data: {
        checkoutToken: 'e4b8d27f1c90',
        checkoutUrl: 'https://ridgeline-outfitters.myshopify.com/61204000/checkouts/e4b8d27f1c90/recover?key=8c2e6b1f4a',
        totalPrice: '138.03',
        currency: 'USD',
        itemCount: 1,
        firstItemTitle: 'Summit Hiker 3',
        lineItems: [{ title: 'Summit Hiker 3', variantTitle: "Women's 8", quantity: 1, price: '129.00', sku: 'SH3-W8' }],
        acceptsSmsMarketing: true,
        abandonmentWait: 'PT60M',
        recoverAt: '2026-11-20T20:05:43.000Z',
      },
    });
    expect(draft.phoneCandidates[0]).toEqual({ source: 'sms_marketing_phone', value: '+13055550148' });
    expect(draft.event.consent).toMatchObject({ types: ['marketing'], state: 'opted_in', source: 'shopify', evidence: { collectedFrom: 'checkout', smsMarketingPhone: '+13055550148' } });
    // The checkout's data carries no phone or e-mail: flows read the contact for that.
    expect(JSON.stringify(draft.event.data)).not.toContain('rosa.alvarez@example.com');
  });

  it('keeps the consent only when the chosen phone is the SMS marketing phone', () => {
    const [draft] = events(mapShopifyTopic(fixture('checkouts-create'), ctx('checkouts/create')));
    expect(completeDraft(draft, { phone: '+13055550148', source: 'sms_marketing_phone' }).consent?.state).toBe('opted_in');
    expect(completeDraft(draft, { phone: '+13055550999', source: 'shipping_address.phone' }).consent).toBeUndefined();
    expect(completeDraft(draft, { phone: null, source: null }).consent).toBeUndefined();
  });

  it("offers Shopify's sample phones in the documented order and records no consent without the box ticked", () => {
    const [draft] = events(mapShopifyTopic(fixture('checkouts-create.sample'), ctx('checkouts/create')));
    // sms_marketing_phone, phone and customer.phone are null: only the shipping address is left.
    expect(draft.phoneCandidates).toEqual([{ source: 'shipping_address.phone', value: '555-555-SHIP' }]);
    expect(draft.event.consent).toBeUndefined();
    const done = completeDraft(draft, { phone: '555-555-SHIP', source: null });
    expect(done.contact).toMatchObject({ phone: '555-555-SHIP', externalId: { id: '603851970716743426' } });
    expect(done.data.phoneSource).toBeNull();
  });

  it('keeps 64-bit ids exact (JSON.parse would round 603851970716743426)', () => {
    expect(String(JSON.parse(shopifyFixture('checkouts-create.sample')).customer.id)).not.toBe('603851970716743426');
    const [draft] = events(mapShopifyTopic(fixture('checkouts-create.sample'), ctx('checkouts/create')));
    expect(draft.event.contact?.externalId?.id).toBe('603851970716743426');
  });

  it('ignores a completed checkout and refuses one without a token', () => {
    const completed = { ...(fixture('checkouts-update') as object), completed_at: '2026-11-20T14:31:40-05:00' };
    expect(mapShopifyTopic(completed, ctx('checkouts/update')).kind).toBe('ignored');
    expect(() => mapShopifyTopic({ id: 1 }, ctx('checkouts/update'))).toThrow(PayloadError);
    expect(() => mapShopifyTopic([], ctx('checkouts/update'))).toThrow(/JSON object/);
  });

  it('maps orders/create to order.created correlated by checkout token, with lastOrderAt for win-back', () => {
    const [draft] = events(mapShopifyTopic(fixture('orders-create'), ctx('orders/create')));
    expect(draft.event).toMatchObject({
      type: 'order.created',
      correlation: { orderId: '5830093374', checkoutToken: 'e4b8d27f1c90' },
      contact: { externalId: { source: 'shopify', id: '7390085526' }, attributes: { lastOrderAt: '2026-11-20T19:31:40.000Z' } },
      data: { orderId: '5830093374', orderName: '#2087', orderNumber: 1042, totalPrice: '138.03', currency: 'USD', itemCount: 1 },
    });
    expect(draft.phoneCandidates[0]).toEqual({ source: 'phone', value: '+13055550148' });
  });

  it('maps a fulfillment with tracking to order.shipped and a delivered one to order.delivered', () => {
    const [shipped] = events(mapShopifyTopic(fixture('fulfillments-create'), ctx('fulfillments/create')));
    expect(shipped.event).toMatchObject({
      type: 'order.shipped',
      dedupeKey: 'fulfillment:4826604:shipped:1Z999AA10187654326',
      correlation: { orderId: '5830093374', fulfillmentId: '4826604' },
      data: {
        orderName: '#2087',
        trackingCompany: 'UPS',
        trackingNumber: '1Z999AA10187654326',
        trackingUrl: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z999AA10187654326',
        hasTracking: true,
        shipmentStatus: null,
      },
    });
    expect(shipped.phoneCandidates).toEqual([{ source: 'destination.phone', value: '+13055550148' }]);
    const [delivered] = events(mapShopifyTopic(fixture('fulfillments-update-delivered'), ctx('fulfillments/update')));
    expect(delivered.event).toMatchObject({ type: 'order.delivered', dedupeKey: 'fulfillment:4826604:delivered' });
    expect(delivered.event.data.shipmentStatus).toBe('delivered');
  });

  it('announces a parcel once: a carrier scan with the same tracking has the same key, a new tracking number a new one', () => {
    const created = fixture('fulfillments-create') as Record<string, unknown>;
    const [first] = events(mapShopifyTopic(created, ctx('fulfillments/create', { webhookId: 'wh-a' })));
    const [scan] = events(mapShopifyTopic({ ...created, shipment_status: 'in_transit' }, ctx('fulfillments/update', { webhookId: 'wh-b' })));
    const [corrected] = events(mapShopifyTopic({ ...created, tracking_number: '1Z999AA10123456799', tracking_numbers: ['1Z999AA10123456799'] }, ctx('fulfillments/update', { webhookId: 'wh-c' })));
    expect(scan.event.dedupeKey).toBe(first.event.dedupeKey);
    expect(corrected.event.dedupeKey).not.toBe(first.event.dedupeKey);
  });

  it('maps orders/fulfilled to one order.shipped per successful fulfillment, keyed like fulfillments/create', () => {
    const order = fixture('orders-create') as Record<string, unknown>;
    const fulfillment = fixture('fulfillments-create') as Record<string, unknown>;
    const withTwo = { ...order, fulfillments: [fulfillment, { ...fulfillment, id: 4820018 }, { ...fulfillment, id: 4820019, status: 'cancelled' }] };
    const drafts = events(mapShopifyTopic(withTwo, ctx('orders/fulfilled')));
    expect(drafts.map((d) => d.event.dedupeKey)).toEqual(['fulfillment:4826604:shipped:1Z999AA10187654326', 'fulfillment:4820018:shipped:1Z999AA10187654326']);
    expect(drafts[0].event.contact?.externalId?.id).toBe('7390085526');
    expect(drafts[0].event.data.orderName).toBe('#2087');
  });

  it('maps the consent topic: subscribed → opted_in with Shopify evidence, unsubscribed → opted_out', () => {
    const [subscribed] = events(mapShopifyTopic(fixture('customers-marketing-consent-update.subscribed'), ctx('customers_marketing_consent/update')));
    expect(subscribed.event).toMatchObject({
      type: 'contact.updated',
      occurredAt: new Date('2026-11-20T14:31:40-05:00'),
      contact: { externalId: { source: 'shopify', id: '7390085526' } },
      consent: {
        types: ['marketing'],
        state: 'opted_in',
        source: 'shopify',
        evidence: { shopifyState: 'subscribed', optInLevel: 'single_opt_in', collectedFrom: 'shopify', consentUpdatedAt: '2026-11-20T14:31:40-05:00' },
      },
    });
    const [unsubscribed] = events(mapShopifyTopic(fixture('customers-marketing-consent-update.unsubscribed'), ctx('customers_marketing_consent/update')));
    expect(unsubscribed.event.consent).toMatchObject({ types: ['marketing'], state: 'opted_out' });
  });

  it('records nothing for a null, pending or not_subscribed state, and asks for erasure on redacted', () => {
    const [sample] = events(mapShopifyTopic(fixture('customers-marketing-consent-update.sample'), ctx('customers_marketing_consent/update')));
    expect(sample.event.consent).toBeUndefined();
    expect(sample.phoneCandidates).toEqual([]);
    for (const state of ['pending', 'not_subscribed', 'NOT_SUBSCRIBED']) {
      const [d] = events(mapShopifyTopic({ id: 1, phone: '+13055550148', sms_marketing_consent: { state } }, ctx('customers_marketing_consent/update')));
      expect(d.event.consent).toBeUndefined();
    }
    const redact = mapShopifyTopic({ id: 7390085526, phone: '+13055550148', sms_marketing_consent: { state: 'redacted' } }, ctx('customers_marketing_consent/update'));
    expect(redact).toMatchObject({ kind: 'redact', customerId: '7390085526', phone: '+13055550148' });
    if (redact.kind === 'redact') expect(redact.draft.event.contact).toBeUndefined();
  });

  it('routes the privacy topics and ignores topics it does not use', () => {
    expect(mapShopifyTopic(fixture('customers-redact'), ctx('customers/redact')).kind).toBe('privacy');
    expect(mapShopifyTopic(fixture('shop-redact'), ctx('shop/redact')).kind).toBe('privacy');
    expect(mapShopifyTopic({ id: 1 }, ctx('products/update'))).toEqual({ kind: 'ignored', reason: 'topic products/update is not used by Optline' });
  });
});

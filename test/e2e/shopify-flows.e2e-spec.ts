import { ManualClock } from '@optline/core';
import { FlowMaintenance } from '@optline/flows';
import { InboundSmsService } from '@optline/messaging';
import { ShopifyAdminFake } from '../fakes/shopify-admin.fake';
import { shopifyFixture } from '../fakes/shopify-fixtures';
import { ACCESS_TOKEN, eventually, SHOP, ShopifyScenario } from '../fakes/shopify-harness';
import { TestHub } from '../utils/test-hub';

const MINUTE = 60_000;
/** Friday 20 Nov 2026, 14:06 in Miami: inside every quiet-hours window, so only the flows decide. */
const START = '2026-11-20T19:06:00.000Z';
const RECOVERY_URL = 'https://ridgeline-outfitters.myshopify.com/61204000/checkouts/e4b8d27f1c90/recover?key=8c2e6b1f4a';

describe('Shopify events run the built-in flows end to end', () => {
  let hub: TestHub;
  let fake: ShopifyAdminFake;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(START);
    hub = await TestHub.start({ clock });
    fake = await new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN }).start();
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.stop();
  });
  beforeEach(() => {
    clock.set(START);
    fake.webhooks.length = 0;
    fake.customers.clear();
    fake.clearRequests();
  });

  /** A workspace with Shopify enabled and these built-in flows active. */
  async function shopWith(...templates: string[]): Promise<ShopifyScenario> {
    const s = await ShopifyScenario.start(hub, fake);
    for (const templateKey of templates) {
      const created = await hub.http().post('/v1/flows/from-template').set('Authorization', s.admin).send({ templateKey }).expect(201);
      await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', s.admin).expect(200);
    }
    return s;
  }

  async function messagesOf(s: ShopifyScenario, contactId: string): Promise<Record<string, any>[]> {
    const res = await hub.http().get('/v1/messages').query({ contactId, direction: 'outbound' }).set('Authorization', s.admin).expect(200);
    return res.body.data;
  }

  /** Moves the hub's clock and runs the flows' due-work pass, as the worker's timer would. */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await hub.get(FlowMaintenance).tick();
  }

  async function deliverAndDispatch(s: ShopifyScenario, topic: string, fixture: string | { body: string }) {
    const res = typeof fixture === 'string' ? await s.deliverFixture(topic, fixture).expect(200) : await s.deliver(topic, fixture.body).expect(200);
    return s.dispatched(res.body.stored[0]);
  }

  it('checkout then order within the wait: the abandoned-cart run ends and nothing is sent', async () => {
    const s = await shopWith('abandoned-cart');
    const checkout = await deliverAndDispatch(s, 'checkouts/create', 'checkouts-create');
    expect(checkout.outcome.consumers.flows.started).toHaveLength(1);
    const runId = checkout.outcome.consumers.flows.started[0];

    await advance(20 * MINUTE);
    const order = await deliverAndDispatch(s, 'orders/create', 'orders-create');
    expect(order.contactId).toBe(checkout.contactId);
    expect(JSON.stringify(order.outcome.consumers.flows.ended)).toContain(runId);

    await advance(3 * 60 * MINUTE);
    const run = (await hub.http().get(`/v1/runs/${runId}`).set('Authorization', s.admin).expect(200)).body;
    expect(run.status).toBe('exited');
    expect(await messagesOf(s, checkout.contactId)).toEqual([]);
  });

  it('checkout alone: after the wait the cart text goes out with a branded recovery link', async () => {
    const s = await shopWith('abandoned-cart');
    const checkout = await deliverAndDispatch(s, 'checkouts/create', 'checkouts-create');
    // A later update of the same checkout does not start a second run.
    const update = await deliverAndDispatch(s, 'checkouts/update', 'checkouts-update');
    expect(update.outcome.consumers.flows.started ?? []).toEqual([]);

    await advance(30 * MINUTE);
    expect(await messagesOf(s, checkout.contactId)).toEqual([]);

    await advance(31 * MINUTE);
    const [message] = await eventually(async () => {
      const list = await messagesOf(s, checkout.contactId);
      return list.length > 0 && list[0].status === 'sent' ? list : undefined;
    }, 'the cart text to be sent');
    expect(message).toMatchObject({ type: 'marketing', status: 'sent', provider: 'console' });
    expect(message.body).toContain('Acme Alerts');
    expect(message.body).toContain('Rosa');
    expect(message.body).not.toContain(RECOVERY_URL);
    const code = /https:\/\/hub\.optline\.test\/l\/([A-Za-z0-9]+)/.exec(message.body)?.[1];
    expect(code).toEqual(expect.any(String));
    const click = await hub.http().get(`/l/${code}`).expect(302);
    expect(click.headers.location).toBe(RECOVERY_URL);
  });

  it('a fulfillment with tracking sends the shipping text once, whatever the carrier scans', async () => {
    const s = await shopWith('shipping-update');
    const shipped = await deliverAndDispatch(s, 'fulfillments/create', 'fulfillments-create');
    expect(shipped).toMatchObject({ type: 'order.shipped', data: { orderName: '#2087', trackingNumber: '1Z999AA10187654326' } });
    const [message] = await eventually(async () => {
      const list = await messagesOf(s, shipped.contactId);
      return list.length > 0 && list[0].status === 'sent' ? list : undefined;
    }, 'the shipping text to be sent');
    expect(message).toMatchObject({ type: 'transactional' });
    expect(message.body).toContain('#2087');
    expect(message.body).toMatch(/Track it: https:\/\//);

    // An in-transit scan of the same parcel is a duplicate: no second text.
    const scan = JSON.stringify({ ...JSON.parse(shopifyFixture('fulfillments-create')), shipment_status: 'in_transit', updated_at: '2026-11-22T08:00:00-05:00' });
    const res = await s.deliver('fulfillments/update', scan).expect(200);
    expect(res.body).toMatchObject({ received: 1, duplicates: 1 });
    await advance(MINUTE);
    expect(await messagesOf(s, shipped.contactId)).toHaveLength(1);
  });

  it('STOP texted to Optline sets the Shopify customer to unsubscribed at the store', async () => {
    const s = await ShopifyScenario.start(hub, fake);
    fake.addCustomer('7390085526', '+13055550148', 'subscribed');
    const consent = await deliverAndDispatch(s, 'customers_marketing_consent/update', 'customers-marketing-consent-update.subscribed');
    fake.clearRequests();

    const inbound = await hub.get(InboundSmsService).receive(s.ws.id, { provider: 'http', providerMessageId: 'SMstop0001', from: '+13055550148', to: null, body: 'STOP' });
    expect(inbound.message.contactId).toBe(consent.contactId);

    await eventually(async () => fake.customers.get('7390085526')!.sms_marketing_consent.state === 'unsubscribed', 'the store to show the opt-out');
    const calls = fake.requests.filter((r) => r.path.endsWith('/graphql.json'));
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toMatchObject({ variables: { input: { customerId: 'gid://shopify/Customer/7390085526', smsMarketingConsent: { marketingState: 'UNSUBSCRIBED' } } } });
    const history = (await s.consentOf(consent.contactId)).history;
    expect(history[0]).toMatchObject({ state: 'opted_out', source: 'sms_keyword' });
  });
});

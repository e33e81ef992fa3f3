import { SUBSCRIBED_TOPICS } from '@optline/plugin-shopify';
import { ShopifyAdminFake } from '../fakes/shopify-admin.fake';
import { shopifyFixture, SHOPIFY_VECTOR } from '../fakes/shopify-fixtures';
import { ACCESS_TOKEN, CLIENT_SECRET, eventually, SHOP, ShopifyScenario } from '../fakes/shopify-harness';
import { TestHub } from '../utils/test-hub';

describe('Shopify plugin: installation, webhooks at the shop, verification, events, consent and privacy', () => {
  let hub: TestHub;
  let fake: ShopifyAdminFake;

  beforeAll(async () => {
    hub = await TestHub.start();
    fake = await new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN }).start();
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.stop();
  });
  beforeEach(() => {
    fake.webhooks.length = 0;
    fake.customers.clear();
    fake.clearRequests();
  });

  describe('installation and webhook subscriptions', () => {
    it('validates the config, naming the field, and answers secrets masked', async () => {
      const s = await ShopifyScenario.start(hub, fake, {}, false);
      const bad = await s.install({ shopDomain: 'ridgeline-outfitters.com', apiVersion: '2025-13', abandonmentWaitMinutes: 1 }).expect(422);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['config.abandonmentWaitMinutes', 'config.apiVersion', 'config.shopDomain']);
      const fresh = await hub.createWorkspace();
      const missing = await hub.http().put('/v1/plugins/shopify').set('Authorization', await fresh.auth()).send({ config: { shopDomain: SHOP } }).expect(422);
      // The token may come later from the OAuth install (shopify-oauth.e2e-spec.ts); the app's secret may not.
      expect([...new Set(missing.body.details.map((d: { field: string }) => d.field))]).toEqual(['config.clientSecret']);
      // Leaving the secrets out of an update keeps the stored ones.
      await hub.http().put('/v1/plugins/shopify').set('Authorization', s.admin).send({ config: { shopDomain: SHOP } }).expect(200);

      const view = await s.plugin();
      expect(view.installation.config).toMatchObject({ shopDomain: SHOP, accessToken: '********', clientSecret: '********', apiVersion: '2025-10', twoWayConsentSync: true });
      expect(JSON.stringify(view)).not.toContain(CLIENT_SECRET);
      expect(JSON.stringify(view)).not.toContain(ACCESS_TOKEN);
      const row = await hub.dataSource.query('SELECT config::text AS config, secrets::text AS secrets FROM plugin_installation WHERE id = $1', [s.installationId]);
      expect(row[0].config + row[0].secrets).not.toContain(CLIENT_SECRET);
    });

    it('enabling verifies the token by reading the shop and registers exactly the needed webhooks; enabling again registers nothing new', async () => {
      const s = await ShopifyScenario.start(hub, fake);
      const address = `https://hub.optline.test/hooks/shopify/${s.installationId}`;
      expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/admin/api/2025-10/shop.json' });
      expect(fake.requests[0].headers['x-shopify-access-token']).toBe(ACCESS_TOKEN);
      const created = fake.requests.filter((r) => r.method === 'POST' && r.path === '/admin/api/2025-10/webhooks.json');
      expect(created.map((r) => (r.body as { webhook: { topic: string } }).webhook.topic).sort()).toEqual([...SUBSCRIBED_TOPICS].sort());
      expect(fake.webhooks.map((w) => w.address)).toEqual(SUBSCRIBED_TOPICS.map(() => address));
      expect(fake.webhooks.every((w) => w.format === 'json')).toBe(true);

      // A config change while enabled runs onEnable again: it lists, finds everything in place, writes nothing.
      fake.clearRequests();
      await s.install({ abandonmentWaitMinutes: 90 }).expect(200);
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /admin/api/2025-10/shop.json', 'GET /admin/api/2025-10/webhooks.json']);
      expect(fake.requests[1].query).toEqual({ limit: '250' });
      expect(fake.writes()).toEqual([]);
      expect(fake.webhooks).toHaveLength(SUBSCRIBED_TOPICS.length);
    });

    it('fixes a subscription pointing elsewhere and removes duplicates instead of adding more', async () => {
      const s = await ShopifyScenario.start(hub, fake, {}, false);
      const address = `https://hub.optline.test/hooks/shopify/${s.installationId}`;
      const stale = fake.addWebhook('orders/create', 'https://old-hub.example/hooks/shopify/x');
      fake.addWebhook('checkouts/create', address);
      const duplicate = fake.addWebhook('checkouts/create', 'https://old-hub.example/hooks/shopify/x');
      await s.enable().expect(200);
      expect(fake.requests.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([`/admin/api/2025-10/webhooks/${stale.id}.json`]);
      expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/admin/api/2025-10/webhooks/${duplicate.id}.json`]);
      expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(SUBSCRIBED_TOPICS.length - 2);
      expect(fake.webhooks.map((w) => [w.topic, w.address]).sort()).toEqual(SUBSCRIBED_TOPICS.map((t) => [t, address]).sort());
    });

    it('refuses to enable with a token Shopify rejects, naming config.accessToken, and stays disabled', async () => {
      const s = await ShopifyScenario.start(hub, fake, { accessToken: 'shpat_wrong' }, false);
      const res = await s.enable().expect(422);
      expect(res.body.details[0].field).toBe('config.accessToken');
      expect(fake.writes()).toEqual([]);
      const view = await s.plugin();
      expect(view.installation.enabled).toBe(false);
      expect(view.installation.status.lastError).toMatchObject({ source: 'enable' });
    });

    it('disabling removes the subscriptions at the shop, and deliveries are then refused', async () => {
      const s = await ShopifyScenario.start(hub, fake);
      fake.addWebhook('products/update', 'https://someone-else.example/');
      fake.clearRequests();
      await s.disable().expect(200);
      expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(SUBSCRIBED_TOPICS.length);
      expect(fake.webhooks.map((w) => w.topic)).toEqual(['products/update']);
      await s.deliverFixture('checkouts/create', 'checkouts-create').expect(410);
    });
  });

  describe('webhook verification and deduplication', () => {
    let s: ShopifyScenario;
    beforeAll(async () => {
      s = await ShopifyScenario.start(hub, fake);
    });

    const eventCount = async () =>
      (await hub.dataSource.query('SELECT count(*)::int AS n FROM trigger_event WHERE installation_id = $1', [s.installationId]))[0].n as number;

    it('answers 401 to a bad HMAC and to the right HMAC for another shop, storing nothing', async () => {
      const before = await eventCount();
      await s.deliverFixture('checkouts/create', 'checkouts-create', { secret: 'shpss_not_the_secret' }).expect(401);
      await s.deliverFixture('checkouts/create', 'checkouts-create', { signature: '' }).expect(401);
      await s.deliverFixture('checkouts/create', 'checkouts-create', { shopDomain: 'evil-twin.myshopify.com' }).expect(401);
      // Shopify's published vector: right algorithm, wrong secret for this installation.
      await s.deliver('customers/update', SHOPIFY_VECTOR.body, { signature: SHOPIFY_VECTOR.expected }).expect(401);
      expect(await eventCount()).toBe(before);
      const view = await s.plugin();
      expect(view.installation.status.lastError).toMatchObject({ source: 'verify' });
      expect(view.installation.status.counts.rejected).toBeGreaterThanOrEqual(4);
    });

    it('accepts the previous secret during a rotation, and refuses it once it expired', async () => {
      const r = await ShopifyScenario.start(hub, fake, { clientSecret: 'shpss_new_secret_0001', previousClientSecret: CLIENT_SECRET });
      await r.deliverFixture('customers/update', 'customers-marketing-consent-update.sample').expect(200);
      await r.install({ clientSecret: 'shpss_new_secret_0001', previousClientSecret: CLIENT_SECRET, previousClientSecretExpiresAt: '2020-01-01T00:00:00Z' }).expect(200);
      await r.deliverFixture('customers/update', 'customers-marketing-consent-update.sample').expect(401);
      await r.deliverFixture('customers/update', 'customers-marketing-consent-update.sample', { secret: 'shpss_new_secret_0001' }).expect(200);
    });

    it('processes a redelivered webhook id once', async () => {
      const webhookId = 'b54557e4-bdd9-4b37-8a5f-00000000d0d0';
      const first = await s.deliverFixture('checkouts/create', 'checkouts-create', { webhookId }).expect(200);
      expect(first.body).toMatchObject({ received: 1, duplicates: 0 });
      expect(first.body.stored).toHaveLength(1);
      const again = await s.deliverFixture('checkouts/create', 'checkouts-create', { webhookId }).expect(200);
      expect(again.body).toEqual({ received: 1, stored: [], duplicates: 1 });
      const rows = await hub.dataSource.query('SELECT id FROM trigger_event WHERE installation_id = $1 AND dedupe_key = $2', [s.installationId, webhookId]);
      expect(rows).toHaveLength(1);
      const event = await s.dispatched(first.body.stored[0]);
      expect(event).toMatchObject({ type: 'checkout.updated', correlation: { checkoutToken: 'e4b8d27f1c90' } });
    });

    it('answers 422 naming the field a topic needs (or `body` when it is not JSON), storing no event to dispatch', async () => {
      const before = await eventCount();
      // Not JSON: kept as a failed event for the operator (decision 0164), never dispatched.
      const notJson = await s.deliver('checkouts/create', '{"token": ').expect(422);
      expect(notJson.body.details).toEqual([{ field: 'body', message: expect.stringContaining('not valid JSON') }]);
      const noToken = await s.deliver('checkouts/update', JSON.stringify({ id: 1, line_items: [] })).expect(422);
      expect(noToken.body.details[0].field).toBe('token');
      const noOrderId = await s.deliver('fulfillments/create', JSON.stringify({ id: 1, status: 'success' })).expect(422);
      expect(noOrderId.body.details[0].field).toBe('order_id');
      expect(await eventCount()).toBe(before + 1);
      const [failed] = await hub.dataSource.query(`SELECT type, status FROM trigger_event WHERE installation_id = $1 AND status = 'failed'`, [s.installationId]);
      expect(failed).toEqual({ type: 'webhook.unparsable', status: 'failed' });
    });

    it('answers 200 and stores nothing for a topic Optline does not use or a completed checkout', async () => {
      const before = await eventCount();
      await s.deliver('products/update', JSON.stringify({ id: 1 })).expect(200, { received: 0, stored: [], duplicates: 0 });
      const completed = JSON.stringify({ ...JSON.parse(shopifyFixture('checkouts-update')), completed_at: '2026-11-20T14:31:40-05:00' });
      await s.deliver('checkouts/update', completed).expect(200, { received: 0, stored: [], duplicates: 0 });
      expect(await eventCount()).toBe(before);
    });

    it("stores Shopify's sample checkout (phone 555-555-SHIP) and says in the outcome there is no usable phone", async () => {
      const res = await s.deliverFixture('checkouts/create', 'checkouts-create.sample').expect(200);
      const event = await s.dispatched(res.body.stored[0]);
      expect(event.status).toBe('ignored');
      expect(event.contactId).toBeNull();
      expect(event.outcome.contact).toMatchObject({ skipped: 'no_usable_phone' });
      expect(event.outcome.contact.detail).toMatch(/not a usable phone number/);
      expect(event.data).toMatchObject({ checkoutToken: '123123123', phoneSource: null });
    });
  });

  describe('consent from Shopify', () => {
    it('records subscribed as a marketing opt-in with Shopify evidence, then unsubscribed as an opt-out, without echoing back', async () => {
      const s = await ShopifyScenario.start(hub, fake);
      fake.clearRequests();
      const res = await s.deliverFixture('customers_marketing_consent/update', 'customers-marketing-consent-update.subscribed').expect(200);
      const event = await s.dispatched(res.body.stored[0]);
      expect(event.outcome.consent).toMatchObject({ recorded: ['marketing'], state: 'opted_in' });
      const contact = (await hub.http().get(`/v1/contacts/${event.contactId}`).set('Authorization', await s.ws.auth()).expect(200)).body;
      expect(contact).toMatchObject({ phone: '+13055550148', externalIds: { shopify: '7390085526' } });

      let consent = await s.consentOf(event.contactId);
      expect(consent.states.marketing.state).toBe('opted_in');
      expect(consent.states.transactional.state).toBe('none');
      expect(consent.history[0]).toMatchObject({
        messageType: 'marketing',
        state: 'opted_in',
        source: 'shopify',
        occurredAt: '2026-11-20T19:31:40.000Z',
        evidence: { shopifyState: 'subscribed', optInLevel: 'single_opt_in', collectedFrom: 'shopify', shopifyCustomerId: '7390085526', shopDomain: SHOP },
      });

      // Shopify repeats the consent on later updates: the same state adds no ledger entry.
      const repeat = await s.deliverFixture('customers_marketing_consent/update', 'customers-marketing-consent-update.subscribed').expect(200);
      expect((await s.dispatched(repeat.body.stored[0])).data.consentUnchanged).toBe('opted_in');
      expect((await s.consentOf(event.contactId)).history.filter((h: { messageType: string }) => h.messageType === 'marketing')).toHaveLength(1);

      const off = await s.deliverFixture('customers_marketing_consent/update', 'customers-marketing-consent-update.unsubscribed').expect(200);
      await s.dispatched(off.body.stored[0]);
      consent = await s.consentOf(event.contactId);
      expect(consent.states.marketing.state).toBe('opted_out');
      expect(consent.history[0]).toMatchObject({ source: 'shopify', evidence: { shopifyState: 'unsubscribed' } });
      // A change that came from Shopify is not written back to Shopify.
      const writebacks = await hub.dataSource.query('SELECT count(*)::int AS n FROM plugin_writeback WHERE installation_id = $1', [s.installationId]);
      expect(writebacks[0].n).toBe(0);
      expect(fake.requests.filter((r) => r.path.endsWith('/graphql.json'))).toEqual([]);
    });

    it('records the SMS box ticked at checkout as consent for the SMS phone', async () => {
      const s = await ShopifyScenario.start(hub, fake);
      const res = await s.deliverFixture('checkouts/create', 'checkouts-create').expect(200);
      const event = await s.dispatched(res.body.stored[0]);
      const consent = await s.consentOf(event.contactId);
      expect(consent.history[0]).toMatchObject({ state: 'opted_in', source: 'shopify', evidence: { collectedFrom: 'checkout', smsMarketingPhone: '+13055550148', checkoutToken: 'e4b8d27f1c90' } });
      const update = await s.deliverFixture('checkouts/update', 'checkouts-update').expect(200);
      await s.dispatched(update.body.stored[0]);
      expect((await s.consentOf(event.contactId)).history).toHaveLength(1);
    });
  });

  describe('write-back of opt-outs made in Optline', () => {
    it('sets the Shopify customer to UNSUBSCRIBED with the GraphQL mutation, retrying a failure visibly', async () => {
      const s = await ShopifyScenario.start(hub, fake);
      fake.addCustomer('7390085526', '+13055550148', 'subscribed');
      const res = await s.deliverFixture('customers_marketing_consent/update', 'customers-marketing-consent-update.subscribed').expect(200);
      const { contactId } = await s.dispatched(res.body.stored[0]);
      fake.clearRequests();
      fake.failNext(1, 503, (r) => r.path.endsWith('/graphql.json'));

      // The preference page / an agent: an opt-out recorded in Optline.
      await hub
        .http()
        .post(`/v1/contacts/${contactId}/consent`)
        .set('Authorization', await s.ws.auth('support'))
        .send({ types: 'all', state: 'opted_out', source: 'agent', evidence: { text: 'asked on the phone to stop texts' } })
        .expect(201);

      await eventually(async () => fake.customers.get('7390085526')!.sms_marketing_consent.state === 'unsubscribed', 'the fake customer to be unsubscribed');
      const calls = fake.requests.filter((r) => r.path === '/admin/api/2025-10/graphql.json');
      expect(calls).toHaveLength(2);
      expect(calls[1].body).toMatchObject({
        query: expect.stringContaining('customerSmsMarketingConsentUpdate'),
        variables: { input: { customerId: 'gid://shopify/Customer/7390085526', smsMarketingConsent: { marketingState: 'UNSUBSCRIBED' } } },
      });
      // One call per opt-out: the transactional and conversational entries of the same STOP need none.
      const view = await eventually(async () => {
        const v = await s.plugin();
        return v.installation.status.counts.writebacks.succeeded === 3 ? v : undefined;
      }, 'three write-backs to succeed');
      expect(view.installation.status.lastError).toMatchObject({ source: 'writeback', message: expect.stringContaining('attempt 1 failed') });
    });
  });

  describe('mandatory privacy webhooks', () => {
    let s: ShopifyScenario;
    let contactId: string;
    beforeAll(async () => {
      s = await ShopifyScenario.start(hub, fake);
      const res = await s.deliverFixture('orders/create', 'orders-create').expect(200);
      contactId = (await s.dispatched(res.body.stored[0])).contactId;
      expect(contactId).toEqual(expect.any(String));
    });

    it('customers/data_request reports what Optline holds about the person', async () => {
      await s.deliverFixture('customers/data_request', 'customers-data-request', { webhookId: 'dr-1' }).expect(200);
      const [record] = await s.privacyRequests();
      expect(record).toMatchObject({
        webhookId: 'dr-1',
        topic: 'customers/data_request',
        shopifyCustomerId: '7390085526',
        dataRequestId: '9999',
        ordersMentioned: ['5830093374'],
        outcome: 'reported',
        summary: {
          contactFound: true,
          contactId,
          matchedBy: 'shopify_customer_id',
          fieldsHeld: ['phone', 'email', 'firstName', 'lastName'],
          attributeNames: ['lastOrderAt'],
          externalSystems: ['shopify'],
          export: `/v1/contacts/${contactId}`,
        },
      });
      // Redelivery replaces its record instead of adding one.
      await s.deliverFixture('customers/data_request', 'customers-data-request', { webhookId: 'dr-1' }).expect(200);
      expect((await s.privacyRequests()).filter((r) => r.webhookId === 'dr-1')).toHaveLength(1);
    });

    it('customers/redact erases the person and keeps their opt-out as a suppression', async () => {
      await hub
        .http()
        .post(`/v1/contacts/${contactId}/consent`)
        .set('Authorization', await s.ws.auth())
        .send({ types: 'all', state: 'opted_out', source: 'api', evidence: { text: 'STOP by e-mail' } })
        .expect(201);
      await s.deliverFixture('customers/redact', 'customers-redact').expect(200);
      const contact = (await hub.http().get(`/v1/contacts/${contactId}`).set('Authorization', await s.ws.auth()).expect(200)).body;
      expect(contact).toMatchObject({ phone: null, email: null, firstName: null, lastName: null });
      expect(contact.erasedAt).toEqual(expect.any(String));
      const suppressed = await hub.http().get('/v1/suppression/+13055550148').set('Authorization', s.admin).expect(200);
      expect(suppressed.body).toMatchObject({ phone: null, phoneHash: expect.any(String) });
      // The number stays blocked for every type, even transactional.
      const check = await hub.http().post('/v1/messages/check').set('Authorization', s.admin).send({ phone: '+13055550148', type: 'transactional' }).expect(200);
      expect(check.body).toMatchObject({ allowed: false, policy: 'suppression' });
      expect((await s.privacyRequests())[0]).toMatchObject({ topic: 'customers/redact', outcome: 'erased', erasedContactIds: [contactId] });
    });

    it('a consent state "redacted" erases the person and stores a trace without personal data', async () => {
      const r = await ShopifyScenario.start(hub, fake);
      const subscribed = await r.deliverFixture('customers_marketing_consent/update', 'customers-marketing-consent-update.subscribed').expect(200);
      const { contactId: person } = await r.dispatched(subscribed.body.stored[0]);
      const redacted = JSON.stringify({ id: 7390085526, phone: '+13055550148', sms_marketing_consent: { state: 'redacted', opt_in_level: null, consent_updated_at: null, consent_collected_from: 'SHOPIFY' } });
      const res = await r.deliver('customers_marketing_consent/update', redacted).expect(200);
      const contact = (await hub.http().get(`/v1/contacts/${person}`).set('Authorization', r.admin).expect(200)).body;
      expect(contact).toMatchObject({ phone: null, externalIds: {} });
      expect(contact.erasedAt).toEqual(expect.any(String));
      const trace = await r.dispatched(res.body.stored[0]);
      expect(trace).toMatchObject({ type: 'contact.updated', contactId: null, data: { redacted: true, customerId: '7390085526' } });
      expect(JSON.stringify(trace)).not.toContain('+13055550148');
      expect((await r.privacyRequests())[0]).toMatchObject({ topic: 'customers_marketing_consent/update', outcome: 'erased', erasedContactIds: [person] });
    });

    it('shop/redact clears what the installation holds about the shop', async () => {
      const before = await hub.dataSource.query('SELECT state FROM plugin_installation WHERE id = $1', [s.installationId]);
      expect(before[0].state.shop).toMatchObject({ domain: SHOP, name: 'Ridgeline Outfitters' });
      await s.deliverFixture('shop/redact', 'shop-redact', { webhookId: 'sr-1' }).expect(200);
      const after = await hub.dataSource.query('SELECT state FROM plugin_installation WHERE id = $1', [s.installationId]);
      expect(after[0].state.shop).toBeNull();
      const records = await s.privacyRequests();
      expect(records).toEqual([expect.objectContaining({ webhookId: 'sr-1', topic: 'shop/redact', outcome: 'shop_erased' })]);
      expect(JSON.stringify(records)).not.toContain('7390085526');
      // The events this installation stored keep their rows but no longer say who they were about.
      const events = await hub.dataSource.query('SELECT contact_hint, consent_hint, payload FROM trigger_event WHERE installation_id = $1', [s.installationId]);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e: { contact_hint: unknown; consent_hint: unknown }) => e.contact_hint === null && e.consent_hint === null)).toBe(true);
      expect(JSON.stringify(events)).not.toMatch(/\+1\d{10}|@/);
    });

    it("refuses a privacy request naming another shop in its body, and hides an installation from another workspace", async () => {
      const body = JSON.stringify({ shop_id: 1, shop_domain: 'other-shop.myshopify.com' });
      const res = await s.deliver('shop/redact', body).expect(422);
      expect(res.body.details[0].field).toBe('shop_domain');
      const other = await hub.createWorkspace();
      await hub.http().get(`/v1/plugins/shopify/installations/${s.installationId}/privacy-requests`).set('Authorization', await other.auth()).expect(404);
      await hub.http().get(`/v1/plugins/shopify/installations/${s.installationId}/privacy-requests`).set('Authorization', await s.ws.auth('marketing')).expect(200);
    });
  });
});

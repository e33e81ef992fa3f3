import { SUBSCRIBED_TOPICS } from '@optline/plugin-shopify';
import { createHmac } from 'node:crypto';
import { ShopifyAdminFake } from '../fakes/shopify-admin.fake';
import { shopifyFixture, shopifyHeaders } from '../fakes/shopify-fixtures';
import { ACCESS_TOKEN, CLIENT_SECRET, SHOP } from '../fakes/shopify-harness';
import { ShopifyAdminEndpoint } from '@optline/plugin-shopify';
import { TestHub, TestWorkspace } from '../utils/test-hub';

const CLIENT_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** Signs a query the way Shopify does for the install request and the OAuth callback: hex HMAC over the sorted pairs without hmac. */
function signed(query: Record<string, string>, secret = CLIENT_SECRET): string {
  const message = Object.keys(query).sort().map((k) => `${k}=${query[k]}`).join('&');
  const hmac = createHmac('sha256', secret).update(message).digest('hex');
  return new URLSearchParams({ ...query, hmac }).toString();
}

describe("Shopify OAuth install: the store connected the way Shopify intends", () => {
  let hub: TestHub;
  let fake: ShopifyAdminFake;

  beforeAll(async () => {
    hub = await TestHub.start();
    fake = await new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }).start();
    hub.get(ShopifyAdminEndpoint).pointAt(fake.url);
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.stop();
  });
  beforeEach(() => {
    fake.webhooks.length = 0;
    fake.clearRequests();
  });

  const now = () => String(Math.floor(hub.clock.now().getTime() / 1000));

  /** A workspace whose admin saved the app's credentials but no token: the state before "Connect". */
  async function unconnected(): Promise<{ ws: TestWorkspace; admin: string; id: string }> {
    const ws = await hub.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
    const admin = await ws.auth();
    const res = await hub.http().put('/v1/plugins/shopify').set('Authorization', admin).send({ config: { shopDomain: SHOP, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } }).expect(200);
    return { ws, admin, id: res.body.installation.id };
  }

  async function connectUrl(admin: string, id: string): Promise<URL> {
    const res = await hub.http().post(`/v1/plugins/shopify/installations/${id}/connect`).set('Authorization', admin).expect(200);
    return new URL(res.body.authorizeUrl);
  }

  it("a browser coming back from Shopify lands on the console's Shopify page, told whether it worked", async () => {
    const { admin, id } = await unconnected();
    const state = (await connectUrl(admin, id)).searchParams.get('state')!;
    const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const forged = await callback(id, { code: fake.issueCode(), shop: SHOP, state: 'not-the-state', timestamp: now() }).set('Accept', html).expect(302);
    const refused = new URL(forged.headers.location);
    expect(`${refused.origin}${refused.pathname}`).toBe('https://hub.optline.test/plugins/shopify');
    expect(refused.searchParams.get('connectError')).toBe('oauth_state_mismatch');

    const back = await callback(id, { code: fake.issueCode(), shop: SHOP, state, timestamp: now() }).set('Accept', html).expect(302);
    expect(back.headers.location).toBe('https://hub.optline.test/plugins/shopify?connected=1');
    expect((await view(admin)).enabled).toBe(true);
  });

  function callback(id: string, query: Record<string, string>, secret?: string) {
    return hub.http().get(`/hooks/shopify/${id}/oauth/callback?${signed(query, secret)}`);
  }

  async function view(admin: string) {
    return (await hub.http().get('/v1/plugins/shopify').set('Authorization', admin).expect(200)).body.installation;
  }

  function deliver(id: string, topic: string, body: string) {
    return hub.http().post(`/hooks/shopify/${id}`).set(shopifyHeaders({ topic, body, shopDomain: SHOP, secret: CLIENT_SECRET })).send(body);
  }

  it('connects: authorize URL with the needed scopes, code exchanged, token sealed, webhooks registered, deliveries accepted', async () => {
    const { admin, id } = await unconnected();
    // Without a token the installation cannot be enabled: the admin is told what is missing.
    const refused = await hub.http().post('/v1/plugins/shopify/enable').set('Authorization', admin).expect(422);
    expect(refused.body.details[0].field).toBe('config.accessToken');

    const authorize = await connectUrl(admin, id);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`https://${SHOP}/admin/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('scope')!.split(',').sort()).toEqual(['read_checkouts', 'read_customers', 'read_fulfillments', 'read_orders', 'write_customers']);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`https://hub.optline.test/hooks/shopify/${id}/oauth/callback`);
    const state = authorize.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(32);
    // The nonce is kept hashed only.
    const [stored] = await hub.dataSource.query('SELECT state::text AS state FROM plugin_installation WHERE id = $1', [id]);
    expect(stored.state).not.toContain(state);

    const code = fake.issueCode();
    const res = await callback(id, { code, host: 'YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvcmlkZ2VsaW5l', shop: SHOP, state, timestamp: now() }).expect(200);
    expect(res.body).toMatchObject({ connected: true, shopDomain: SHOP });

    const exchange = fake.requests.find((r) => r.path === '/admin/oauth/access_token')!;
    expect(exchange).toMatchObject({ method: 'POST', body: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code } });
    const installation = await view(admin);
    expect(installation.enabled).toBe(true);
    expect(installation.config.accessToken).toBe('********');
    const [row] = await hub.dataSource.query('SELECT config::text AS config, secrets::text AS secrets, state::text AS state FROM plugin_installation WHERE id = $1', [id]);
    expect(`${row.config}${row.secrets}${row.state}`).not.toContain(ACCESS_TOKEN);

    const address = `https://hub.optline.test/hooks/shopify/${id}`;
    expect(fake.webhooks.map((w) => w.topic).sort()).toEqual([...SUBSCRIBED_TOPICS].sort());
    expect(fake.webhooks.every((w) => w.address === address)).toBe(true);
    expect(fake.requests.find((r) => r.path.endsWith('/shop.json'))!.headers['x-shopify-access-token']).toBe(ACCESS_TOKEN);

    const delivered = await deliver(id, 'checkouts/create', shopifyFixture('checkouts-create')).expect(200);
    expect(delivered.body.stored).toHaveLength(1);
  });

  it("Shopify's install request: signature, shop and age checked before redirecting to the authorize page", async () => {
    const { id } = await unconnected();
    const ok = await hub.http().get(`/hooks/shopify/${id}/install?${signed({ shop: SHOP, timestamp: now() })}`).expect(302);
    const location = new URL(ok.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(`https://${SHOP}/admin/oauth/authorize`);
    expect(location.searchParams.get('state')).toBeTruthy();

    const forged = await hub.http().get(`/hooks/shopify/${id}/install?${signed({ shop: SHOP, timestamp: now() }, 'shpss_not_the_secret')}`).expect(401);
    expect(forged.body.code).toBe('shopify_hmac_invalid');
    const tampered = signed({ shop: SHOP, timestamp: now() }).replace(`timestamp=`, 'timestamp=1');
    expect((await hub.http().get(`/hooks/shopify/${id}/install?${tampered}`).expect(401)).body.code).toBe('shopify_hmac_invalid');
    const stale = String(Math.floor(hub.clock.now().getTime() / 1000) - 2 * 24 * 3600);
    expect((await hub.http().get(`/hooks/shopify/${id}/install?${signed({ shop: SHOP, timestamp: stale })}`).expect(401)).body.code).toBe('shopify_request_expired');
    const custom = await hub.http().get(`/hooks/shopify/${id}/install?${signed({ shop: 'ridgeline.com', timestamp: now() })}`).expect(422);
    expect(custom.body.details[0].field).toBe('shop');
    expect((await hub.http().get(`/hooks/shopify/${id}/install?${signed({ shop: 'another-store.myshopify.com', timestamp: now() })}`).expect(400)).body.code).toBe('shopify_shop_mismatch');
    await hub.http().get(`/hooks/shopify/00000000-0000-4000-8000-000000000000/install?${signed({ shop: SHOP, timestamp: now() })}`).expect(404);
    expect(fake.requests).toEqual([]);
  });

  it('refuses a callback with a bad signature, a state it did not issue, or a code already used', async () => {
    const { admin, id } = await unconnected();
    const state = (await connectUrl(admin, id)).searchParams.get('state')!;
    const code = fake.issueCode();

    expect((await callback(id, { code, shop: SHOP, state, timestamp: now() }, 'shpss_not_the_secret').expect(401)).body.code).toBe('shopify_hmac_invalid');
    expect((await callback(id, { code, shop: SHOP, state: 'not-the-state-we-issued', timestamp: now() }).expect(400)).body.code).toBe('oauth_state_mismatch');
    // State from another installation's Connect does not open this one.
    const other = await unconnected();
    const otherState = (await connectUrl(other.admin, other.id)).searchParams.get('state')!;
    expect((await callback(id, { code, shop: SHOP, state: otherState, timestamp: now() }).expect(400)).body.code).toBe('oauth_state_mismatch');
    expect(fake.requests.filter((r) => r.path === '/admin/oauth/access_token')).toEqual([]);

    // The good callback once…
    await callback(id, { code, shop: SHOP, state, timestamp: now() }).expect(200);
    // …replayed as is: its state was spent.
    expect((await callback(id, { code, shop: SHOP, state, timestamp: now() }).expect(400)).body.code).toBe('oauth_state_mismatch');
    // …or the code replayed under a fresh state: Shopify refuses the used code, and so do we.
    const fresh = (await connectUrl(admin, id)).searchParams.get('state')!;
    const replay = await callback(id, { code, shop: SHOP, state: fresh, timestamp: now() }).expect(400);
    expect(replay.body.code).toBe('oauth_code_rejected');
    expect(replay.body.message).toContain('already used');
  });

  it('refuses a grant missing a scope the plugin needs, and says so when Shopify cannot be reached', async () => {
    const { admin, id } = await unconnected();
    fake.grantedScope = 'read_orders';
    try {
      const state = (await connectUrl(admin, id)).searchParams.get('state')!;
      const res = await callback(id, { code: fake.issueCode(), shop: SHOP, state, timestamp: now() }).expect(422);
      expect(res.body.code).toBe('oauth_scope_missing');
      expect(res.body.message).toContain('read_checkouts');
      expect((await view(admin)).enabled).toBe(false);
    } finally {
      fake.grantedScope = 'read_checkouts,read_orders,read_fulfillments,write_customers';
    }

    const endpoint = hub.get(ShopifyAdminEndpoint);
    endpoint.pointAt('http://127.0.0.1:9');
    try {
      const state = (await connectUrl(admin, id)).searchParams.get('state')!;
      expect((await callback(id, { code: fake.issueCode(), shop: SHOP, state, timestamp: now() }).expect(503)).body.code).toBe('shopify_unreachable');
    } finally {
      endpoint.pointAt(fake.url);
    }
    // Without the app's client id there is nothing to authorize: the admin is told which field.
    const bare = await hub.createWorkspace();
    const bareAdmin = await bare.auth();
    const installed = await hub.http().put('/v1/plugins/shopify').set('Authorization', bareAdmin).send({ config: { shopDomain: SHOP, clientSecret: CLIENT_SECRET } }).expect(200);
    const noClient = await hub.http().post(`/v1/plugins/shopify/installations/${installed.body.installation.id}/connect`).set('Authorization', bareAdmin).expect(422);
    expect(noClient.body.details[0].field).toBe('config.clientId');
    // Another workspace's installation is not found from here.
    await hub.http().post(`/v1/plugins/shopify/installations/${id}/connect`).set('Authorization', bareAdmin).expect(404);
  });

  it('app/uninstalled disables the installation and discards the token; a reinstall restores it', async () => {
    const { admin, id } = await unconnected();
    const state = (await connectUrl(admin, id)).searchParams.get('state')!;
    await callback(id, { code: fake.issueCode(), shop: SHOP, state, timestamp: now() }).expect(200);

    const shopBody = JSON.stringify({ id: 61204000, name: 'Ridgeline Outfitters', domain: 'shop.ridgeline-outfitters.test', myshopify_domain: SHOP });
    await deliver(id, 'app/uninstalled', shopBody).expect(200);
    const gone = await view(admin);
    expect(gone.enabled).toBe(false);
    expect(gone.config.accessToken).toBeNull();
    expect(gone.status.lastError.message).toContain('uninstalled');
    const [row] = await hub.dataSource.query('SELECT secrets::text AS secrets FROM plugin_installation WHERE id = $1', [id]);
    expect(row.secrets).not.toContain(ACCESS_TOKEN);
    await deliver(id, 'checkouts/create', shopifyFixture('checkouts-create')).expect(410);

    // Shopify removes an uninstalled app's webhooks; the reinstall comes through the install request again.
    fake.webhooks.length = 0;
    const install = await hub.http().get(`/hooks/shopify/${id}/install?${signed({ shop: SHOP, timestamp: now() })}`).expect(302);
    const again = new URL(install.headers.location).searchParams.get('state')!;
    await callback(id, { code: fake.issueCode(), shop: SHOP, state: again, timestamp: now() }).expect(200);
    const back = await view(admin);
    expect(back.enabled).toBe(true);
    expect(back.config.accessToken).toBe('********');
    expect(fake.webhooks.map((w) => w.topic).sort()).toEqual([...SUBSCRIBED_TOPICS].sort());
    await deliver(id, 'checkouts/create', shopifyFixture('checkouts-create')).expect(200);
  });
});

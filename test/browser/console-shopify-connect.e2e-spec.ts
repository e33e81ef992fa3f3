import { ShopifyAdminEndpoint } from '@optline/plugin-shopify';
import { createHmac } from 'node:crypto';
import { ShopifyAdminFake } from '../fakes/shopify-admin.fake';
import { ACCESS_TOKEN, CLIENT_SECRET, SHOP } from '../fakes/shopify-harness';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, signIn } from './console-harness';

const CLIENT_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function signed(query: Record<string, string>): string {
  const message = Object.keys(query).sort().map((k) => `${k}=${query[k]}`).join('&');
  return new URLSearchParams({ ...query, hmac: createHmac('sha256', CLIENT_SECRET).update(message).digest('hex') }).toString();
}

describeInBrowser('console: connecting Shopify by OAuth (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let fake: ShopifyAdminFake;
  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
    fake = await new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }).start();
    h.hub.get(ShopifyAdminEndpoint).pointAt(fake.url);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await fake?.stop();
  });

  it('the Connect button sends the admin to the shop’s authorize page; after the approval the plugin shows enabled', async () => {
    const installed = await owner.send('put', '/v1/plugins/shopify', { config: { shopDomain: SHOP, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } }).expect(200);
    const id = installed.body.installation.id as string;
    const { context, page } = await h.newPage();
    // Shopify's approval page, offline: the test only needs to see the browser arrive there.
    await context.route(`https://${SHOP}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Approve Optline</h1>' }));
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/plugins/shopify');
    await page.getByRole('button', { name: 'Connect to Shopify' }).click();
    await page.getByRole('heading', { name: 'Approve Optline' }).waitFor();
    const authorize = new URL(page.url());
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`https://${SHOP}/admin/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1/hooks/shopify/${id}/oauth/callback`);

    // The merchant approves: Shopify calls the callback with a code and the console's state.
    const state = authorize.searchParams.get('state')!;
    const timestamp = String(Math.floor(h.hub.clock.now().getTime() / 1000));
    await h.hub.http().get(`/hooks/shopify/${id}/oauth/callback?${signed({ code: fake.issueCode(), shop: SHOP, state, timestamp })}`).expect(200);

    await page.goto('/plugins/shopify');
    await page.getByRole('button', { name: 'Reconnect to Shopify' }).waitFor();
    await page.getByRole('button', { name: 'Disable' }).waitFor();
    await context.close();
  });
});

import { HubspotClientFactory } from '@optline/plugin-hubspot';
import { FakeHubspotCrm, hubspotFixture } from '../fakes/hubspot-crm.fake';
import { HUBSPOT_APP, HubspotOAuthFake } from '../fakes/hubspot-oauth.fake';
import { HubspotWebhookSender } from '../fakes/hubspot-webhook-sender';
import { TestHub, TestWorkspace } from '../utils/test-hub';

const PORTAL_ID = 61829414;

describe("HubSpot OAuth app install: a portal connected the way HubSpot intends", () => {
  let hub: TestHub;
  let crm: FakeHubspotCrm;
  let vendor: HubspotOAuthFake;

  beforeAll(async () => {
    hub = await TestHub.start();
    crm = await FakeHubspotCrm.start();
    vendor = HubspotOAuthFake.attachTo(crm);
    hub.get(HubspotClientFactory).configure({ basePath: crm.url, appUrl: 'https://app.hubspot.com', baseDelayMs: 20 });
  });
  afterAll(async () => {
    await hub?.close();
    await crm?.close();
  });

  interface Setup {
    ws: TestWorkspace;
    admin: string;
    id: string;
  }

  /** The admin saved the public app's credentials but no token: the state before "Connect to HubSpot". */
  async function unconnected(config: Record<string, unknown> = {}): Promise<Setup> {
    const ws = await hub.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
    const admin = await ws.auth();
    const res = await hub
      .http()
      .put('/v1/plugins/hubspot')
      .set('Authorization', admin)
      .send({ config: { clientId: HUBSPOT_APP.clientId, clientSecret: HUBSPOT_APP.clientSecret, optOutProperty: 'optline_sms_opted_out', ...config } })
      .expect(200);
    return { ws, admin, id: res.body.installation.id };
  }

  async function authorizeUrl(s: Setup): Promise<string> {
    return (await hub.http().post(`/v1/plugins/hubspot/installations/${s.id}/connect`).set('Authorization', s.admin).expect(200)).body.authorizeUrl;
  }

  /** HubSpot's redirect back to the hub; answers where the hub sends the browser next. */
  async function follow(redirect: string): Promise<URL> {
    const res = await hub.http().get(redirect).expect(302);
    return new URL(res.headers.location);
  }

  async function connected(config: Record<string, unknown> = {}): Promise<Setup> {
    const s = await unconnected(config);
    const back = await follow(vendor.approve(await authorizeUrl(s)).redirect);
    expect(back.searchParams.get('connected')).toBe('1');
    return s;
  }

  const installation = async (s: Setup) => (await hub.http().get('/v1/plugins/hubspot').set('Authorization', s.admin).expect(200)).body.installation;
  const connection = async (s: Setup) => (await hub.http().get(`/v1/plugins/hubspot/installations/${s.id}/connection`).set('Authorization', s.admin).expect(200)).body;
  const deliver = (s: Setup) => new HubspotWebhookSender(hub, s.id, HUBSPOT_APP.clientSecret).send(hubspotFixture('contact-creation.json'));
  const tokenCalls = () => crm.callsTo('POST', '/oauth/v1/token');

  it('sends the admin to HubSpot with the client id, the callback, the scopes and a state; the approval connects, enables and subscribes the app', async () => {
    const s = await unconnected({ appId: HUBSPOT_APP.appId, developerApiKey: HUBSPOT_APP.developerApiKey });
    const url = new URL(await authorizeUrl(s));
    expect(`${url.origin}${url.pathname}`).toBe('https://app.hubspot.com/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe(HUBSPOT_APP.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${hub.config.publicUrl}/hooks/hubspot/${s.id}/oauth/callback`);
    expect(url.searchParams.get('scope')!.split(' ')).toEqual(['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read']);
    expect(url.searchParams.get('optional_scope')).toBe('crm.objects.deals.read');
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const before = tokenCalls().length;
    const back = await follow(vendor.approve(url.toString()).redirect);
    expect(`${back.pathname}?${back.searchParams}`).toBe('/plugins/hubspot?connected=1');

    // The code was exchanged form-encoded, with the same redirect_uri the authorization carried.
    const [exchange] = tokenCalls().slice(before);
    const form = new URLSearchParams(exchange.body as string);
    expect(Object.fromEntries(form)).toMatchObject({ grant_type: 'authorization_code', client_id: HUBSPOT_APP.clientId, client_secret: HUBSPOT_APP.clientSecret, redirect_uri: url.searchParams.get('redirect_uri') });

    const view = await installation(s);
    expect(view.enabled).toBe(true);
    expect(view.config).toMatchObject({ portalId: PORTAL_ID, refreshToken: '********', accessToken: null, developerApiKey: '********' });
    expect(JSON.stringify(view)).not.toContain(vendor.revokedRefreshTokens().join('') || 'na1-');

    // The app's target URL and subscriptions were set through HubSpot's webhooks API.
    expect(vendor.settings?.targetUrl).toBe(`${hub.config.publicUrl}/hooks/hubspot/${s.id}`);
    expect(vendor.subscriptions.map((x) => `${x.eventType}${x.propertyName ? `:${x.propertyName}` : ''}`).sort()).toEqual(
      ['contact.creation', 'contact.deletion', 'contact.privacyDeletion', 'contact.propertyChange:lifecyclestage', 'deal.propertyChange:dealstage'].sort(),
    );
    expect(await connection(s)).toMatchObject({
      connected: true,
      method: 'oauth',
      account: 'harbor-dental.hubspot.com (portal 61829414) — approved by owner@harbor-dental.example',
      scopes: expect.arrayContaining(['crm.objects.contacts.write', 'crm.objects.deals.read']),
      tokenHealth: 'ok',
      webhooks: { managed: true, targetUrl: vendor.settings?.targetUrl, syncedAt: expect.any(String) },
    });

    // Enabling again keeps one subscription per event: nothing duplicated.
    await hub.http().post('/v1/plugins/hubspot/disable').set('Authorization', s.admin).expect(200);
    await hub.http().post('/v1/plugins/hubspot/enable').set('Authorization', s.admin).expect(200);
    expect(vendor.subscriptions).toHaveLength(5);

    // Events arrive with no token pasted by hand: the CRM is read with the OAuth access token.
    const crmBefore = crm.calls.length;
    const delivered = await deliver(s).expect(200);
    expect(delivered.body).toMatchObject({ received: 1 });
    const reads = crm.calls.slice(crmBefore).filter((c) => c.path.startsWith('/crm/'));
    expect(reads[0].status).toBe(200);
    expect(reads[0].authorization).toMatch(/^Bearer CJ/);
  });

  it('refuses a redirect whose state does not match, and a replayed redirect; a replayed code under a fresh state is refused by HubSpot', async () => {
    const s = await unconnected();
    const url = await authorizeUrl(s);
    const approval = vendor.approve(url);
    const before = tokenCalls().length;
    const forged = await follow(approval.redirect.replace(/state=[^&]+/, 'state=forged-state-value'));
    expect(forged.searchParams.get('connectError')).toBe('oauth_state_mismatch');
    expect(tokenCalls().length).toBe(before);

    // The forged attempt did not spend the real state… but the first use does.
    expect((await follow(approval.redirect)).searchParams.get('connected')).toBe('1');
    const replay = await follow(approval.redirect);
    expect(replay.searchParams.get('connectError')).toBe('oauth_state_mismatch');

    const fresh = new URL(await authorizeUrl(s));
    const stolen = new URL(approval.redirect, 'http://x');
    const again = await follow(`${stolen.pathname}?code=${stolen.searchParams.get('code')}&state=${fresh.searchParams.get('state')}`);
    expect(again.searchParams.get('connectError')).toBe('oauth_code_rejected');
    expect(again.searchParams.get('message')).toContain('BAD_AUTH_CODE');
  });

  it('refuses a state older than ten minutes', async () => {
    const s = await unconnected();
    const approval = vendor.approve(await authorizeUrl(s));
    hub.manualClock.advance(11 * 60 * 1000);
    expect((await follow(approval.redirect)).searchParams.get('connectError')).toBe('oauth_state_mismatch');
  });

  it('refreshes the access token before it expires, and once more when HubSpot answers 401', async () => {
    const s = await connected();
    const first = tokenCalls().length;
    await deliver(s).expect(200);
    expect(tokenCalls().length).toBe(first);

    // 26 minutes later the 30-minute token is within five minutes of its end: refreshed before use.
    hub.manualClock.advance(26 * 60 * 1000);
    await deliver(s).expect(200);
    const refresh = tokenCalls().slice(first);
    expect(refresh).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(refresh[0].body as string))).toMatchObject({ grant_type: 'refresh_token', client_id: HUBSPOT_APP.clientId, refresh_token: expect.stringMatching(/^na1-/) });
    expect((await connection(s)).lastRefreshAt).toEqual(expect.any(String));

    // HubSpot stops accepting the token early (it may): the 401 is followed by a refresh and the call again.
    vendor.expireAccessTokens();
    const crmBefore = crm.calls.length;
    await deliver(s).expect(200);
    const statuses = crm.calls.slice(crmBefore).map((c) => `${c.method} ${c.path.split('/').slice(0, 4).join('/')} ${c.status}`);
    expect(statuses).toEqual(['GET /crm/v3/objects 401', 'POST /oauth/v1/token 200', 'GET /crm/v3/objects 200']);
  });

  it('an uninstalled app (refresh token refused) disconnects the installation and says to connect again', async () => {
    const s = await connected();
    vendor.uninstall();
    const res = await deliver(s);
    expect(res.status).toBeGreaterThanOrEqual(400);
    const view = await installation(s);
    expect(view.enabled).toBe(false);
    expect(view.status.lastError.message).toContain('connect to HubSpot again');
    expect(view.config.refreshToken).toBeNull();
    expect(await connection(s)).toMatchObject({ connected: false, tokenHealth: 'refresh_failed', problem: expect.stringContaining('BAD_REFRESH_TOKEN') });
    // Deliveries are refused (410) from now on; a new Connect restores the installation.
    await deliver(s).expect(410);
    expect((await follow(vendor.approve(await authorizeUrl(s)).redirect)).searchParams.get('connected')).toBe('1');
    expect((await installation(s)).enabled).toBe(true);
  });

  it('Disconnect revokes the refresh token at HubSpot, discards the tokens and disables; a pasted private-app token still works', async () => {
    const s = await connected();
    const revokedBefore = vendor.revokedRefreshTokens().length;
    const after = await hub.http().post(`/v1/plugins/hubspot/installations/${s.id}/disconnect`).set('Authorization', s.admin).expect(200);
    expect(after.body).toMatchObject({ connected: false, method: 'none', tokenHealth: 'not_connected' });
    expect(vendor.revokedRefreshTokens().length).toBe(revokedBefore + 1);
    expect(crm.callsTo('DELETE', '/oauth/v1/refresh-tokens/')).not.toHaveLength(0);
    const view = await installation(s);
    expect(view).toMatchObject({ enabled: false, config: { refreshToken: null, accessToken: null } });

    await hub.http().put('/v1/plugins/hubspot').set('Authorization', s.admin).send({ config: { ...view.config, refreshToken: undefined, clientSecret: '********', accessToken: crm.accessToken } }).expect(200);
    await hub.http().post('/v1/plugins/hubspot/enable').set('Authorization', s.admin).expect(200);
    expect(await connection(s)).toMatchObject({ connected: true, method: 'manual', tokenHealth: 'manual', webhooks: { managed: false } });
  });

  it('without a client id Connect is a 422 naming it; without a token enabling is a 422 naming config.accessToken; another workspace gets 404', async () => {
    const s = await unconnected({ clientId: undefined });
    const refused = await hub.http().post(`/v1/plugins/hubspot/installations/${s.id}/connect`).set('Authorization', s.admin).expect(422);
    expect(refused.body.details[0].field).toBe('config.clientId');
    await hub.http().put('/v1/plugins/hubspot').set('Authorization', s.admin).send({ config: { clientSecret: HUBSPOT_APP.clientSecret, portalId: PORTAL_ID } }).expect(200);
    const enable = await hub.http().post('/v1/plugins/hubspot/enable').set('Authorization', s.admin).expect(422);
    expect(enable.body.details[0].field).toBe('config.accessToken');

    const other = await unconnected();
    await hub.http().post(`/v1/plugins/hubspot/installations/${s.id}/connect`).set('Authorization', other.admin).expect(404);
    await hub.http().get(`/v1/plugins/hubspot/installations/${s.id}/connection`).set('Authorization', other.admin).expect(404);
    await hub.http().get(`/hooks/hubspot/00000000-0000-4000-8000-000000000000/oauth/callback?code=x&state=y`).expect(404);
  });

  it('a wrong developer API key is a 422 naming config.developerApiKey, and the installation stays disabled', async () => {
    const s = await unconnected({ appId: HUBSPOT_APP.appId, developerApiKey: 'not-the-developer-key' });
    const back = await follow(vendor.approve(await authorizeUrl(s)).redirect);
    expect(back.searchParams.get('connectError')).toBe('hubspot_developer_key_refused');
    expect(back.searchParams.get('message')).toContain('developer API key');
    expect((await installation(s)).enabled).toBe(false);
  });
});

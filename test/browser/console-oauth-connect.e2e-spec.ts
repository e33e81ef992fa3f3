import { GoogleCalendarClientFactory } from '@optline/plugin-google-calendar';
import { HubspotClientFactory } from '@optline/plugin-hubspot';
import type { BrowserContext, Page } from 'playwright-core';
import { FakeGoogleCalendar } from '../fakes/google-calendar.fake';
import { FakeHubspotCrm, hubspotFixture } from '../fakes/hubspot-crm.fake';
import { HUBSPOT_APP, HubspotOAuthFake } from '../fakes/hubspot-oauth.fake';
import { HubspotWebhookSender } from '../fakes/hubspot-webhook-sender';
import { GOOGLE_CLIENT, GoogleOAuthFake } from '../fakes/google-oauth.fake';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

const ACCOUNT = 'frontdesk@harbor-dental.example';
const BOOKINGS = 'bookings@harbor-dental.example';

// Several pages and vendor round trips each: more than the default 30 s on a shared, loaded machine.
jest.setTimeout(120_000);

describeInBrowser('console: connecting HubSpot and Google Calendar by OAuth (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let crm: FakeHubspotCrm;
  let hubspot: HubspotOAuthFake;
  let calendar: FakeGoogleCalendar;
  let google: GoogleOAuthFake;

  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
    crm = await FakeHubspotCrm.start();
    hubspot = HubspotOAuthFake.attachTo(crm);
    h.hub.get(HubspotClientFactory).configure({ basePath: crm.url, baseDelayMs: 20 });
    calendar = await FakeGoogleCalendar.start({ now: () => h.hub.clock.now() });
    google = GoogleOAuthFake.attachTo(calendar);
    // The harness's PUBLIC_URL is plain http; Google's HTTPS rule for channel addresses is tested in google-calendar.e2e.
    calendar.requireHttpsAddress = false;
    calendar.primaryCalendar = ACCOUNT;
    calendar.addCalendar(ACCOUNT);
    calendar.addCalendar(BOOKINGS);
    h.hub.get(GoogleCalendarClientFactory).useEndpoint({ rootUrl: calendar.rootUrl, oauth: { tokenUrl: `${calendar.rootUrl}token`, revokeUrl: `${calendar.rootUrl}revoke` } });
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await crm?.close();
    await calendar?.close();
  });

  /**
   * The vendor's consent screen, offline: a page with the vendor's "approve" button whose link is
   * the redirect the vendor would send; and PUBLIC_URL (http://127.0.0.1, no port) reaching the hub.
   */
  async function fakeConsent(context: BrowserContext, origin: string, button: string, approve: (url: string) => string): Promise<void> {
    await context.route(`${origin}/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: `<h1>Allow Optline to access your account</h1><a href="${h.baseUrl}${approve(route.request().url())}">${button}</a>` }),
    );
    await context.route('http://127.0.0.1/plugins/**', (route) => route.fulfill({ status: 302, headers: { location: route.request().url().replace('http://127.0.0.1', h.baseUrl) } }));
  }

  async function openPlugin(page: Page, pluginId: string): Promise<void> {
    await page.goto(`/plugins/${pluginId}`);
    await page.getByRole('heading', { name: /^Connect to / }).waitFor();
  }

  it('HubSpot: Connect goes through the consent page and back; the page shows the portal, scopes, token health and the webhooks to set; Disconnect', async () => {
    const installed = await owner.send('put', '/v1/plugins/hubspot', { config: { clientId: HUBSPOT_APP.clientId, clientSecret: HUBSPOT_APP.clientSecret } }).expect(200);
    const id = installed.body.installation.id as string;
    const { context, page } = await h.newPage({ width: 1200, height: 1400 });
    let authorize: URL | null = null;
    await fakeConsent(context, 'https://app.hubspot.com', 'Connect app', (url) => {
      authorize = new URL(url);
      return hubspot.approve(url).redirect;
    });
    await signIn(page, OWNER.email, OWNER.password);
    await openPlugin(page, 'hubspot');
    await page.getByRole('button', { name: 'Connect to HubSpot' }).click();
    await page.getByRole('link', { name: 'Connect app' }).click();

    await page.getByText('Connected to HubSpot.').waitFor();
    expect(authorize!.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1/hooks/hubspot/${id}/oauth/callback`);
    await page.getByText('harbor-dental.hubspot.com (portal 61829414)', { exact: false }).waitFor();
    await page.getByText('Token OK').waitFor();
    await page.getByText('none received yet').waitFor();
    await page.getByText('contact.propertyChange', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Reconnect to HubSpot' }).waitFor();
    await screenshot(page, 'plugin-hubspot-connected');

    // A delivery from HubSpot arrives with the OAuth token (nothing pasted) and shows as the last delivery.
    await new HubspotWebhookSender(h.hub, id, HUBSPOT_APP.clientSecret).send(hubspotFixture('contact-creation.json')).expect(200);
    await page.reload();
    await page.getByText('Last delivery:').waitFor();
    await expect(page.getByText('none received yet').count()).resolves.toBe(0);
    await screenshot(page, 'plugin-hubspot-delivery');

    await page.getByRole('button', { name: 'Disconnect from HubSpot' }).click();
    await page.getByRole('button', { name: 'Yes, disconnect' }).click();
    await page.getByRole('button', { name: 'Connect to HubSpot', exact: true }).waitFor();
    await page.getByText('Not connected', { exact: true }).first().waitFor();
    expect(hubspot.revokedRefreshTokens()).toHaveLength(1);
    // The admin's own Disconnect is not an error, and the "Connected" notice of the return trip is gone.
    await expect(page.getByText('Connected to HubSpot.').count()).resolves.toBe(0);
    await expect(page.getByText(/Last error/).count()).resolves.toBe(0);
    await screenshot(page, 'plugin-hubspot-disconnected');
    await context.close();
  });

  it('Google Calendar: Connect goes through the consent page and back; the account’s calendars are listed and the chosen one is watched', async () => {
    await owner
      .send('put', '/v1/plugins/google-calendar', { config: { authMethod: 'oauth', oauthClientId: GOOGLE_CLIENT.clientId, oauthClientSecret: GOOGLE_CLIENT.clientSecret, timeZone: 'America/New_York' } })
      .expect(200);
    const { context, page } = await h.newPage({ width: 1200, height: 1400 });
    let authorize: URL | null = null;
    await fakeConsent(context, 'https://accounts.google.com', 'Allow', (url) => {
      authorize = new URL(url);
      return google.approve(url).redirect;
    });
    await signIn(page, OWNER.email, OWNER.password);
    await openPlugin(page, 'google-calendar');
    await page.getByRole('button', { name: 'Connect to Google' }).click();
    await page.getByRole('link', { name: 'Allow' }).click();

    await page.getByText('Connected to Google.').waitFor();
    expect(authorize!.searchParams.get('access_type')).toBe('offline');
    await page.getByText(ACCOUNT, { exact: true }).first().waitFor();
    await page.getByText('Token OK').waitFor();
    const primary = page.getByRole('checkbox', { name: new RegExp(ACCOUNT.replace('.', '\\.')) });
    const bookings = page.getByRole('checkbox', { name: /bookings@harbor-dental/ });
    await expect(primary.isChecked()).resolves.toBe(true);
    await expect(bookings.isChecked()).resolves.toBe(false);

    await bookings.check();
    await primary.uncheck();
    await page.getByRole('button', { name: 'Watch these calendars' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expect(bookings.isChecked()).resolves.toBe(true);
    expect(calendar.liveChannels(BOOKINGS)).toHaveLength(1);
    expect(calendar.liveChannels(ACCOUNT)).toHaveLength(0);
    await screenshot(page, 'plugin-google-calendar-connected');

    await page.getByRole('button', { name: 'Disconnect from Google' }).click();
    await page.getByRole('button', { name: 'Yes, disconnect' }).click();
    // exact: "Reconnect to Google" contains the words too.
    await page.getByRole('button', { name: 'Connect to Google', exact: true }).waitFor();
    await page.getByText('Not connected', { exact: true }).first().waitFor();
    await screenshot(page, 'plugin-google-calendar-disconnected');
    expect(calendar.liveChannels(BOOKINGS)).toHaveLength(0);
    expect(google.revoked).toHaveLength(1);
    await context.close();
  });
});

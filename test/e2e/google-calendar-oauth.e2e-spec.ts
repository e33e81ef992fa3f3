import { ManualClock } from '@optline/core';
import { GoogleCalendarClientFactory } from '@optline/plugin-google-calendar';
import { awaitJob, eventually } from '../fakes/google-calendar-harness';
import { FakeChannel, FakeGoogleCalendar } from '../fakes/google-calendar.fake';
import { CALENDAR_LIST_SCOPE, EVENTS_SCOPE, GOOGLE_CLIENT, GoogleOAuthFake } from '../fakes/google-oauth.fake';
import { TestHub, TestWorkspace } from '../utils/test-hub';

const ACCOUNT = 'frontdesk@harbor-dental.example';
const BOOKINGS = 'bookings@harbor-dental.example';
const DAY = 86_400_000;

describe("Google Calendar OAuth: an account connected with Google's consent, offline access and refreshes", () => {
  const clock = new ManualClock('2026-11-22T15:00:00Z');
  let hub: TestHub;
  let calendar: FakeGoogleCalendar;
  let google: GoogleOAuthFake;

  beforeAll(async () => {
    hub = await TestHub.start({ clock });
    calendar = await FakeGoogleCalendar.start({ now: () => clock.now() });
    google = GoogleOAuthFake.attachTo(calendar);
    calendar.primaryCalendar = ACCOUNT;
    calendar.addCalendar(ACCOUNT);
    calendar.addCalendar(BOOKINGS);
    hub.get(GoogleCalendarClientFactory).useEndpoint({ rootUrl: calendar.rootUrl, oauth: { tokenUrl: `${calendar.rootUrl}token`, revokeUrl: `${calendar.rootUrl}revoke` } });
  });
  afterAll(async () => {
    await hub?.close();
    await calendar?.close();
  });
  beforeEach(() => {
    google.expiresIn = 3599;
  });

  interface Setup {
    ws: TestWorkspace;
    admin: string;
    id: string;
  }

  async function unconnected(): Promise<Setup> {
    const ws = await hub.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
    const admin = await ws.auth();
    const res = await hub
      .http()
      .put('/v1/plugins/google-calendar')
      .set('Authorization', admin)
      .send({ config: { authMethod: 'oauth', oauthClientId: GOOGLE_CLIENT.clientId, oauthClientSecret: GOOGLE_CLIENT.clientSecret, timeZone: 'America/New_York' } })
      .expect(200);
    return { ws, admin, id: res.body.installation.id };
  }

  const authorizeUrl = async (s: Setup): Promise<string> => (await hub.http().post(`/v1/plugins/google-calendar/installations/${s.id}/connect`).set('Authorization', s.admin).expect(200)).body.authorizeUrl;
  const follow = async (redirect: string): Promise<URL> => new URL((await hub.http().get(redirect).expect(302)).headers.location);
  const view = async (s: Setup) => (await hub.http().get('/v1/plugins/google-calendar').set('Authorization', s.admin).expect(200)).body.installation;
  const connection = async (s: Setup) => (await hub.http().get(`/v1/plugins/google-calendar/installations/${s.id}/connection`).set('Authorization', s.admin).expect(200)).body;
  const channelsOf = (s: Setup, calendarId?: string) => calendar.liveChannels(calendarId).filter((c) => c.address.endsWith(s.id));
  const tokenRequests = () => calendar.requests.filter((r) => r.method === 'POST' && r.path === '/token');

  async function connected(): Promise<Setup> {
    const s = await unconnected();
    expect((await follow(google.approve(await authorizeUrl(s)).redirect)).searchParams.get('connected')).toBe('1');
    return s;
  }

  /** Google's push for a channel, and the sync it queues. */
  async function notifyAndSync(s: Setup, channel: FakeChannel): Promise<Record<string, unknown>> {
    const notification = calendar.notification(channel, 'exists');
    await hub.http().post(notification.path).set(notification.headers).send().expect(200);
    return awaitJob(hub, 'google-calendar.sync', { workspaceId: s.ws.id, installationId: s.id, calendarId: channel.calendarId, full: false }, `${channel.id}:${notification.headers['X-Goog-Message-Number']}`);
  }

  it('asks for offline access with consent; the approval stores the refresh token sealed, watches the primary calendar, and lists the calendars to choose from', async () => {
    const s = await unconnected();
    const enable = await hub.http().post('/v1/plugins/google-calendar/enable').set('Authorization', s.admin).expect(422);
    expect(enable.body.details[0].field).toBe('config.oauthRefreshToken');

    const url = new URL(await authorizeUrl(s));
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: GOOGLE_CLIENT.clientId,
      redirect_uri: `https://hub.optline.test/hooks/google-calendar/${s.id}/oauth/callback`,
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    });
    expect(url.searchParams.get('scope')!.split(' ')).toEqual([EVENTS_SCOPE, CALENDAR_LIST_SCOPE]);

    const before = tokenRequests().length;
    const back = await follow(google.approve(url.toString()).redirect);
    expect(`${back.origin}${back.pathname}?${back.searchParams}`).toBe('https://hub.optline.test/plugins/google-calendar?connected=1');
    const [exchange] = tokenRequests().slice(before);
    expect(Object.fromEntries(new URLSearchParams(exchange.body as string))).toMatchObject({ grant_type: 'authorization_code', client_id: GOOGLE_CLIENT.clientId, client_secret: GOOGLE_CLIENT.clientSecret, redirect_uri: url.searchParams.get('redirect_uri') });

    const installation = await view(s);
    expect(installation).toMatchObject({ enabled: true, config: { authMethod: 'oauth', oauthRefreshToken: '********', calendarIds: ['primary'] } });
    await eventually(async () => channelsOf(s, ACCOUNT).length === 1, 'a channel on the primary calendar');
    expect(await connection(s)).toMatchObject({ connected: true, method: 'oauth', account: ACCOUNT, scopes: [EVENTS_SCOPE, CALENDAR_LIST_SCOPE], tokenHealth: 'ok', accessTokenExpiresAt: expect.any(String) });

    const calendars = await hub.http().get(`/v1/plugins/google-calendar/installations/${s.id}/calendars`).set('Authorization', s.admin).expect(200);
    expect(calendars.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: ACCOUNT, primary: true, watched: true, accessRole: 'owner' }),
        expect.objectContaining({ id: BOOKINGS, primary: false, watched: false }),
      ]),
    );

    // The admin picks the bookings calendar: its channel opens, the primary's closes.
    await hub.http().put('/v1/plugins/google-calendar').set('Authorization', s.admin).send({ config: { ...installation.config, calendarIds: [BOOKINGS] } }).expect(200);
    expect(channelsOf(s, ACCOUNT)).toHaveLength(0);
    const [channel] = channelsOf(s, BOOKINGS);
    expect(channel).toBeDefined();
    expect((await view(s)).config.oauthRefreshToken).toBe('********');

    // An appointment booked in Google arrives as an event, with no credential pasted by hand.
    const booked = calendar.addEvent(BOOKINGS, { start: new Date(clock.nowMs() + 2 * DAY), summary: 'Cleaning - Ana Ruiz', phone: '+12125550142', attendee: null });
    await notifyAndSync(s, channel);
    const rows = await hub.dataSource.query(`SELECT type, correlation FROM trigger_event WHERE installation_id = $1 AND type = 'appointment.booked'`, [s.id]);
    expect(rows.map((r: { correlation: unknown }) => r.correlation)).toContainEqual({ appointmentId: booked.id });
  });

  it('refreshes the access token when Google answers 401, and before it expires', async () => {
    const s = await connected();
    await hub.http().put('/v1/plugins/google-calendar').set('Authorization', s.admin).send({ config: { ...(await view(s)).config, calendarIds: [BOOKINGS] } }).expect(200);
    const [channel] = channelsOf(s, BOOKINGS);
    // The new calendar's first sync (a job of its own) must be over, or its listing lands among the requests counted below.
    await eventually(async () => {
      const [cursor] = await hub.dataSource.query(`SELECT full_synced_at FROM google_calendar_cursor WHERE installation_id = $1 AND calendar_id = $2`, [s.id, BOOKINGS]);
      return cursor?.full_synced_at ? true : undefined;
    }, 'the bookings calendar to be synced once');

    google.expireAccessTokens();
    const refreshes = google.refreshes;
    const mark = calendar.requests.length;
    await notifyAndSync(s, channel);
    expect(google.refreshes).toBe(refreshes + 1);
    const statuses = calendar.requests.slice(mark).filter((r) => r.path.endsWith('/events') || r.path === '/token').map((r) => `${r.path === '/token' ? 'token' : 'list'} ${r.status}`);
    expect(statuses).toEqual(['list 401', 'token 200', 'list 200']);

    // A token that lives only a minute is within the library's five-minute margin: refreshed before each use, with no 401 first.
    google.expiresIn = 60;
    google.expireAccessTokens();
    await notifyAndSync(s, channel);
    const mark2 = calendar.requests.length;
    const before = google.refreshes;
    await notifyAndSync(s, channel);
    expect(google.refreshes).toBe(before + 1);
    expect(calendar.requests.slice(mark2).filter((r) => r.path.endsWith('/events')).map((r) => r.status)).toEqual([200]);
  });

  it('refuses a mismatched or replayed state, a replayed code, a refused consent and a consent without the events scope', async () => {
    const s = await unconnected();
    const approval = google.approve(await authorizeUrl(s));
    const before = tokenRequests().length;
    expect((await follow(approval.redirect.replace(/state=[^&]+/, 'state=not-the-state'))).searchParams.get('connectError')).toBe('oauth_state_mismatch');
    expect(tokenRequests().length).toBe(before);
    expect((await follow(approval.redirect)).searchParams.get('connected')).toBe('1');
    expect((await follow(approval.redirect)).searchParams.get('connectError')).toBe('oauth_state_mismatch');

    const fresh = new URL(await authorizeUrl(s));
    const replayed = await follow(`/hooks/google-calendar/${s.id}/oauth/callback?state=${fresh.searchParams.get('state')}&code=${encodeURIComponent(approval.code)}`);
    expect(replayed.searchParams.get('connectError')).toBe('oauth_code_rejected');
    expect(replayed.searchParams.get('message')).toContain('invalid_grant');

    const denied = new URL(await authorizeUrl(s));
    const refusal = await follow(`/hooks/google-calendar/${s.id}/oauth/callback?error=access_denied&state=${denied.searchParams.get('state')}`);
    expect(refusal.searchParams.get('connectError')).toBe('oauth_denied');

    const partial = await follow(google.approve(await authorizeUrl(s), { scopes: [CALENDAR_LIST_SCOPE] }).redirect);
    expect(partial.searchParams.get('connectError')).toBe('oauth_scope_missing');
  });

  it('access revoked in the Google account: token health says so and the installation is disconnected', async () => {
    const s = await connected();
    google.revokeAccessInAccount();
    hub.get(GoogleCalendarClientFactory).forget(s.id);
    expect(await connection(s)).toMatchObject({ connected: false, tokenHealth: 'refresh_failed', problem: expect.stringContaining('invalid_grant') });
    const installation = await view(s);
    expect(installation.enabled).toBe(false);
    expect(installation.status.lastError.message).toContain('connect Google Calendar again');
    expect(installation.config.oauthRefreshToken).toBeNull();
  });

  it('a sync that meets a revoked grant disconnects the installation with the reason', async () => {
    const s = await connected();
    await eventually(async () => channelsOf(s, ACCOUNT).length === 1, 'a channel on the primary calendar');
    const [channel] = channelsOf(s, ACCOUNT);
    google.revokeAccessInAccount();
    hub.get(GoogleCalendarClientFactory).forget(s.id);
    const notification = calendar.notification(channel, 'exists');
    await hub.http().post(notification.path).set(notification.headers).send().expect(200);
    // The failed job is discarded (retrying cannot help); what the admin sees is the disconnected installation.
    const installation = await eventually(async () => {
      const current = await view(s);
      return current.config.oauthRefreshToken === null ? current : undefined;
    }, 'the installation to be disconnected by the sync');
    expect(installation).toMatchObject({ enabled: false, config: { oauthRefreshToken: null } });
    expect(installation.status.lastError.message).toContain('connect Google Calendar again');
    expect(await connection(s)).toMatchObject({ connected: false, tokenHealth: 'refresh_failed' });
  });

  it('Disconnect stops the watch channels, revokes the grant at Google and discards the refresh token', async () => {
    const s = await connected();
    await eventually(async () => channelsOf(s).length === 1, 'a live channel');
    const revokedBefore = google.revoked.length;
    const after = await hub.http().post(`/v1/plugins/google-calendar/installations/${s.id}/disconnect`).set('Authorization', s.admin).expect(200);
    expect(after.body).toMatchObject({ connected: false, method: 'none', tokenHealth: 'not_connected' });
    expect(channelsOf(s)).toHaveLength(0);
    expect(google.revoked.length).toBe(revokedBefore + 1);
    expect(google.revoked.at(-1)).toMatch(/^1\/\/0g/);
    expect(await view(s)).toMatchObject({ enabled: false, config: { oauthRefreshToken: null } });
    await hub.http().get(`/v1/plugins/google-calendar/installations/${s.id}/calendars`).set('Authorization', s.admin).expect(409);

    const other = await unconnected();
    await hub.http().post(`/v1/plugins/google-calendar/installations/${s.id}/disconnect`).set('Authorization', other.admin).expect(404);
  });
});

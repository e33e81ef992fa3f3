import { createCalendarApi, GoogleCalendarApiError, staticTokenAuth, SyncTokenExpiredError } from '@optline/plugin-google-calendar';
import { FakeGoogleCalendar, googleCalendarFixture } from '../fakes/google-calendar.fake';

/**
 * The plugin's Calendar API client (the official @googleapis/calendar package underneath)
 * against the local fake: Google's paging, sync tokens, 410 and error bodies.
 */
describe('Google Calendar API client against the fake', () => {
  const CAL = 'frontdesk@harbor-dental.example';
  let fake: FakeGoogleCalendar;

  beforeAll(async () => {
    fake = await FakeGoogleCalendar.start({ now: () => new Date('2026-11-22T15:00:00Z') });
    fake.addCalendar(CAL);
  });
  afterAll(() => fake.close());

  const api = () => createCalendarApi(staticTokenAuth(fake.accessToken), fake.rootUrl);

  it('pages through a full listing and hands back the sync token of its last page', async () => {
    for (let i = 0; i < 260; i++) fake.addEvent(CAL, { start: new Date(Date.parse('2026-11-23T09:00:00Z') + i * 3600_000) });
    fake.addEvent(CAL, { start: '2027-06-01T10:00:00Z' });
    const listed = await api().listWindow(CAL, new Date('2026-11-22T15:00:00Z'), new Date('2027-02-20T15:00:00Z'));
    expect(listed.items).toHaveLength(260);
    expect(new Set(listed.items.map((e) => e.id)).size).toBe(260);
    expect(listed.nextSyncToken).toEqual(expect.any(String));
    const pages = fake.listRequests(CAL);
    expect(pages).toHaveLength(2);
    expect(pages[1].query.get('pageToken')).toEqual(expect.any(String));
    expect(pages.every((p) => p.query.get('singleEvents') === 'true')).toBe(true);
  });

  it('lists only what changed since a sync token, deleted events as cancelled stubs', async () => {
    const { nextSyncToken } = await api().listWindow(CAL, new Date('2026-11-22T15:00:00Z'), new Date('2027-02-20T15:00:00Z'));
    const added = fake.addEvent(CAL, { start: '2026-11-30T15:00:00Z' });
    const removed = fake.addEvent(CAL, { start: '2026-12-01T15:00:00Z' });
    fake.cancelEvent(CAL, removed.id);
    const changes = await api().listChanges(CAL, nextSyncToken);
    expect(changes.items.map((e) => [e.id, e.status])).toEqual([
      [added.id, 'confirmed'],
      [removed.id, 'cancelled'],
    ]);
    // Google's cancelled stub carries nothing but its identity, as in the recorded fixture.
    const stub = googleCalendarFixture('events-list-incremental-cancelled.json').items[0];
    expect(Object.keys(changes.items[1]).sort()).toEqual(Object.keys(stub).sort());
    expect((await api().listChanges(CAL, changes.nextSyncToken)).items).toEqual([]);
  });

  it('turns a 410 into SyncTokenExpiredError', async () => {
    const { nextSyncToken } = await api().listChanges(CAL, (await api().listWindow(CAL, new Date(0), new Date('2030-01-01'))).nextSyncToken);
    fake.expireSyncTokens(CAL);
    await expect(api().listChanges(CAL, nextSyncToken)).rejects.toBeInstanceOf(SyncTokenExpiredError);
    expect(fake.requests.at(-1)?.status).toBe(410);
  });

  it('reports refused credentials and unknown calendars as permanent errors', async () => {
    const wrong = createCalendarApi(staticTokenAuth('ya29.someone-else'), fake.rootUrl);
    const refused = await wrong.listChanges(CAL, 'x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GoogleCalendarApiError);
    expect(refused).toMatchObject({ status: 401, permanent: true });
    const missing = await api().watch('nobody@example.com', { id: 'c1', token: 't', address: 'https://hub.example/hooks/x' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, permanent: true });
  });

  it('opens a channel with the expiry Google grants, and treats stopping an unknown channel as done', async () => {
    const opened = await api().watch(CAL, { id: 'chan-1', token: 'secret-token', address: 'https://hub.example/hooks/google-calendar/x' });
    expect(opened).toEqual({ id: 'chan-1', resourceId: fake.channels.get('chan-1')?.resourceId, expiresAt: new Date('2026-11-29T15:00:00Z') });
    expect(fake.channels.get('chan-1')).toMatchObject({ token: 'secret-token', address: 'https://hub.example/hooks/google-calendar/x' });
    await api().stop({ id: 'chan-1', resourceId: opened.resourceId });
    expect(fake.channels.get('chan-1')?.stopped).toBe(true);
    await expect(api().stop({ id: 'chan-1', resourceId: opened.resourceId })).resolves.toBeUndefined();
  });
});

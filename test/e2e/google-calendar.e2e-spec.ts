import { ManualClock } from '@optline/core';
import { awaitJob, CalendarScenario, eventually } from '../fakes/google-calendar-harness';
import { FakeGoogleCalendar } from '../fakes/google-calendar.fake';
import { TestHub } from '../utils/test-hub';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('Google Calendar plugin: channels, notifications and sync', () => {
  const clock = new ManualClock('2026-11-22T15:00:00Z');
  let hub: TestHub;
  let fake: FakeGoogleCalendar;

  beforeAll(async () => {
    hub = await TestHub.start({ clock });
    fake = await FakeGoogleCalendar.start({ now: () => clock.now() });
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.close();
  });

  const at = (offsetMs: number) => new Date(clock.nowMs() + offsetMs);

  it('enabling opens a channel at the webhook URL, keeps only a hash of its token, and syncs the calendar once', async () => {
    const s = await CalendarScenario.start(hub, fake, { enable: false });
    const upcoming = fake.addEvent(s.calendarId, { start: at(2 * DAY), summary: 'Filling - Ana Ruiz', phone: '+12125550142', attendee: null });
    fake.addEvent(s.calendarId, { start: at(-2 * DAY), summary: 'Past visit', phone: '+12125550143', attendee: null });

    await s.enable().expect(200);
    await s.initialSyncDone();

    const channel = s.channel();
    expect(channel.address).toBe(`https://hub.optline.test/hooks/google-calendar/${s.installationId}`);
    expect(channel.token.length).toBeGreaterThanOrEqual(43);
    const watch = fake.requests.find((r) => r.method === 'POST' && r.body?.id === channel.id);
    expect(watch?.body).toMatchObject({ type: 'web_hook', address: channel.address });

    const state = await s.state();
    expect(state.channels).toEqual([
      expect.objectContaining({ id: channel.id, calendarId: s.calendarId, resourceId: channel.resourceId, expiresAt: new Date(clock.nowMs() + 7 * DAY).toISOString() }),
    ]);
    expect(JSON.stringify(state)).not.toContain(channel.token);
    expect((await s.cursor())?.sync_token).toEqual(expect.any(String));

    // The upcoming appointment is announced (flagged as pre-existing); the past one is not.
    const booked = await s.events('appointment.booked');
    expect(booked.map((e) => e.correlation)).toEqual([{ appointmentId: upcoming.id }]);
    expect(booked[0].payload).toMatchObject({ preexisting: true, startsAt: at(2 * DAY).toISOString() });
  });

  it('refuses a notification with a wrong token, an unknown channel or no channel headers (401) and lists nothing', async () => {
    const s = await CalendarScenario.start(hub, fake);
    const channel = s.channel();
    const listsBefore = fake.listRequests().length;

    const wrongToken = await s.notify(fake.notification(channel, 'exists', { 'X-Goog-Channel-Token': 'guessed-token' })).expect(401);
    expect(wrongToken.body.code).toBe('invalid_signature');
    await s.notify(fake.notification(channel, 'exists', { 'X-Goog-Channel-ID': '2b1d6a3e-0000-4000-8000-000000000000' })).expect(401);
    await s.hub.http().post(`/hooks/google-calendar/${s.installationId}`).set('X-Goog-Resource-State', 'exists').send().expect(401);
    await s.notify(fake.notification(channel, 'exists', { 'X-Goog-Resource-ID': 'res-of-another-calendar' })).expect(401);

    expect(fake.listRequests().length).toBe(listsBefore);
    const [row] = await hub.dataSource.query('SELECT rejected_count, last_error FROM plugin_installation WHERE id = $1', [s.installationId]);
    expect(row.rejected_count).toBe(4);
    expect(row.last_error.source).toBe('verify');
  });

  it("acknowledges the channel's sync message without listing anything", async () => {
    const s = await CalendarScenario.start(hub, fake);
    const listsBefore = fake.listRequests().length;
    const res = await s.notify(fake.notification(s.channel(), 'sync')).expect(200);
    expect(res.body).toEqual({ received: 0, stored: [], duplicates: 0 });
    expect(fake.listRequests().length).toBe(listsBefore);
  });

  it('announces a booking, its move and its cancellation once each, addressed to the client', async () => {
    const s = await CalendarScenario.start(hub, fake);
    const event = fake.addEvent(s.calendarId, {
      start: at(3 * DAY),
      summary: 'Cleaning - Lena Park',
      phone: '+1 212 555 0178',
      attendee: { email: 'Lena.Park@example.com', displayName: 'Lena Park' },
    });

    const first = await s.notifyAndSync();
    expect(first).toMatchObject({ mode: 'incremental', booked: 1, rescheduled: 0, cancelled: 0 });
    const [booked] = await s.events('appointment.booked');
    expect(booked.correlation).toEqual({ appointmentId: event.id });
    expect(booked.payload).toMatchObject({
      appointmentId: event.id,
      startsAt: at(3 * DAY).toISOString(),
      endsAt: at(3 * DAY + HOUR).toISOString(),
      summary: 'Cleaning - Lena Park',
      location: 'Harbor Dental, 250 W 57th St, New York',
      timeZone: 'America/New_York',
      startsAtTime: '10:00 AM',
      preexisting: false,
    });
    expect(booked.contact_hint).toMatchObject({ phone: '+12125550178', email: 'lena.park@example.com', firstName: 'Lena', lastName: 'Park' });
    const [contact] = await hub.dataSource.query('SELECT id, first_name, email, external_ids FROM contact WHERE workspace_id = $1 AND phone = $2', [s.ws.id, '+12125550178']);
    expect(contact).toMatchObject({ first_name: 'Lena', email: 'lena.park@example.com', external_ids: { 'google-calendar': 'lena.park@example.com' } });

    // Google redelivers the same message: the same job id, so no second listing and nothing new.
    const lists = fake.listRequests().length;
    const channel = s.channel();
    const again = fake.notification(channel, 'exists', { 'X-Goog-Message-Number': String(channel.messageNumber) });
    await s.notify(again).expect(200);
    await s.notifyAndSync(); // a later, empty change proves the redelivery queued nothing before it
    expect(fake.listRequests().length).toBe(lists + 1);

    // An edit that does not move the appointment announces nothing.
    fake.editEvent(s.calendarId, event.id, { summary: 'Cleaning + x-ray - Lena Park' });
    expect(await s.notifyAndSync()).toMatchObject({ booked: 0, rescheduled: 0, cancelled: 0 });

    fake.moveEvent(s.calendarId, event.id, at(3 * DAY + 4 * HOUR));
    expect(await s.notifyAndSync()).toMatchObject({ rescheduled: 1 });
    const [moved] = await s.events('appointment.rescheduled');
    expect(moved.correlation).toEqual({ appointmentId: event.id });
    expect(moved.payload).toMatchObject({ startsAt: at(3 * DAY + 4 * HOUR).toISOString(), previousStartsAt: at(3 * DAY).toISOString(), summary: 'Cleaning + x-ray - Lena Park' });
    expect(moved.contact_hint).toMatchObject({ phone: '+12125550178' });

    fake.cancelEvent(s.calendarId, event.id);
    expect(await s.notifyAndSync()).toMatchObject({ cancelled: 1 });
    const [cancelled] = await s.events('appointment.cancelled');
    expect(cancelled.correlation).toEqual({ appointmentId: event.id });
    expect(cancelled.payload).toMatchObject({ startsAt: at(3 * DAY + 4 * HOUR).toISOString(), status: 'cancelled' });
    expect(cancelled.contact_hint).toMatchObject({ phone: '+12125550178' });

    expect((await s.events()).map((e) => e.type)).toEqual(['appointment.booked', 'appointment.rescheduled', 'appointment.cancelled']);
    // Every event reached the dispatch with the client as its contact.
    const dispatched = await eventually(async () => {
      const rows = await s.events();
      return rows.every((r) => r.status !== 'received') ? rows : undefined;
    }, 'the events to be dispatched');
    expect(new Set(dispatched.map((e) => e.contact_id))).toEqual(new Set([contact.id]));
  });

  it('finds the client by a phone in the description or by an attendee email seen before; an event naming nobody is not announced', async () => {
    const s = await CalendarScenario.start(hub, fake);
    const fromDescription = fake.addEvent(s.calendarId, { start: at(2 * DAY), phone: null, description: 'Patient mobile: (212) 555-0177', attendee: { email: 'lee@example.com', displayName: 'Lee Park' } });
    const nobody = fake.addEvent(s.calendarId, { start: at(2 * DAY + 2 * HOUR), summary: 'Staff meeting', phone: null, description: null, attendee: null });
    expect(await s.notifyAndSync()).toMatchObject({ booked: 1, withoutClient: 1 });

    // Lee's next booking carries only the email: the contact linked to it is found.
    const byEmail = fake.addEvent(s.calendarId, { start: at(9 * DAY), phone: null, description: 'Follow-up', attendee: { email: 'lee@example.com', displayName: 'Lee Park' } });
    expect(await s.notifyAndSync()).toMatchObject({ booked: 1, withoutClient: 0 });

    const booked = await s.events('appointment.booked');
    expect(booked.map((e) => [e.correlation.appointmentId, e.contact_hint?.phone])).toEqual([
      [fromDescription.id, '+12125550177'],
      [byEmail.id, '+12125550177'],
    ]);
    expect(booked.map((e) => e.correlation.appointmentId)).not.toContain(nobody.id);
  });

  it('after a 410 resyncs in full: moves, new bookings and deletions are announced, nothing is announced twice', async () => {
    const s = await CalendarScenario.start(hub, fake);
    const kept = fake.addEvent(s.calendarId, { start: at(2 * DAY), phone: '+12125550101', attendee: null });
    const moved = fake.addEvent(s.calendarId, { start: at(3 * DAY), phone: '+12125550102', attendee: null });
    const deleted = fake.addEvent(s.calendarId, { start: at(4 * DAY), phone: '+12125550103', attendee: null });
    expect(await s.notifyAndSync()).toMatchObject({ booked: 3 });
    const tokenBefore = (await s.cursor())?.sync_token;

    fake.expireSyncTokens(s.calendarId);
    fake.moveEvent(s.calendarId, moved.id, at(5 * DAY));
    fake.cancelEvent(s.calendarId, deleted.id);
    const added = fake.addEvent(s.calendarId, { start: at(6 * DAY), phone: '+12125550104', attendee: null });

    expect(await s.notifyAndSync()).toMatchObject({ mode: 'resync', booked: 1, rescheduled: 1, cancelled: 1 });
    const gone = fake.requests.filter((r) => r.status === 410);
    expect(gone.at(-1)?.query.get('syncToken')).toBe(tokenBefore);
    const full = fake.listRequests().at(-1);
    expect(full?.query.has('syncToken')).toBe(false);
    expect(full?.query.get('timeMin')).toBe(clock.now().toISOString());

    const byType = (rows: { type: string; correlation: Record<string, string> }[], type: string) => rows.filter((r) => r.type === type).map((r) => r.correlation.appointmentId).sort();
    const all = await s.events();
    expect(byType(all, 'appointment.booked')).toEqual([kept.id, moved.id, deleted.id, added.id].sort());
    expect(byType(all, 'appointment.rescheduled')).toEqual([moved.id]);
    expect(byType(all, 'appointment.cancelled')).toEqual([deleted.id]);

    // The new token works: the next change is an incremental sync again.
    expect((await s.cursor())?.sync_token).not.toBe(tokenBefore);
    expect(await s.notifyAndSync()).toMatchObject({ mode: 'incremental', booked: 0 });
  });

  it("refuses a notification carrying another installation's channel", async () => {
    const a = await CalendarScenario.start(hub, fake);
    const b = await CalendarScenario.start(hub, fake);
    const fromA = fake.notification(a.channel(), 'exists');
    await b.notify({ ...fromA, path: `/hooks/google-calendar/${b.installationId}` }).expect(401);
    await a.notify(fromA).expect(200);
  });

  it('refuses a config Google will not accept, naming the field, and leaves no channel open', async () => {
    const s = await CalendarScenario.start(hub, fake, { enable: false });
    const missingOauth = await s.install({ authMethod: 'oauth' }).expect(422);
    // The refresh token is not asked for: "Connect Google Calendar" obtains it (enabling without one is the 422).
    expect([...new Set(missingOauth.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['config.oauthClientId', 'config.oauthClientSecret']);
    const bad = await s.install({ serviceAccountKey: '{"type":"authorized_user"}', timeZone: 'Mars/Olympus', calendarIds: [], phoneSources: ['fax'] }).expect(422);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['config.serviceAccountKey', 'config.timeZone', 'config.calendarIds', 'config.phoneSources']),
    );

    await s.install({ calendarIds: [s.calendarId, 'closed@harbor-dental.example'] }).expect(200);
    const refused = await s.enable().expect(422);
    expect(refused.body.details[0].field).toBe('config.calendarIds[1]');
    expect(fake.liveChannels().filter((c) => c.address.endsWith(s.installationId))).toEqual([]);
    const view = await hub.http().get('/v1/plugins/google-calendar').set('Authorization', s.admin).expect(200);
    expect(JSON.stringify(view.body)).not.toContain('PRIVATE KEY');
  });

  it('disabling stops the channels at Google and refuses notifications; enabling again announces nothing twice', async () => {
    const s = await CalendarScenario.start(hub, fake);
    const known = fake.addEvent(s.calendarId, { start: at(2 * DAY), phone: '+12125550161', attendee: null });
    await s.notifyAndSync();
    const channel = s.channel();
    await s.disable().expect(200);
    expect(fake.channels.get(channel.id)?.stopped).toBe(true);
    expect((await s.state()).channels).toEqual([]);
    await s.notify(fake.notification(channel, 'exists')).expect(410);

    // Booked while Optline was not listening: announced (as pre-existing) when enabled again.
    const missed = fake.addEvent(s.calendarId, { start: at(3 * DAY), phone: '+12125550162', attendee: null });
    await s.enable().expect(200);
    await s.initialSyncDone();
    expect(s.channel().id).not.toBe(channel.id);
    const booked = await s.events('appointment.booked');
    expect(booked.map((e) => [e.correlation.appointmentId, e.payload.preexisting])).toEqual([
      [known.id, false],
      [missed.id, true],
    ]);
  });

  it('renews a channel a day before it expires: the new one is opened first, then the old one stopped', async () => {
    const s = await CalendarScenario.start(hub, fake);
    const old = s.channel();
    const maintain = (slot: string) => awaitJob(hub, 'google-calendar.maintain', { scope: 'all' }, slot, true);

    // Not due yet: nothing changes.
    clock.set(old.expiration - 25 * HOUR);
    await maintain('before-due');
    expect(s.channel().id).toBe(old.id);

    clock.set(old.expiration - 23 * HOUR);
    await maintain('due');
    const renewed = s.channel();
    expect(renewed.id).not.toBe(old.id);
    expect(fake.channels.get(old.id)?.stopped).toBe(true);
    const watchAt = fake.requests.findIndex((r) => r.body?.id === renewed.id);
    const stopAt = fake.requests.findIndex((r) => r.path === '/calendar/v3/channels/stop' && r.body?.id === old.id);
    expect(watchAt).toBeLessThan(stopAt);
    expect((await s.state()).channels?.map((c) => c.id)).toEqual([renewed.id]);
    expect(renewed.expiration).toBe(clock.nowMs() + 7 * DAY);

    await s.notify(fake.notification(old, 'exists')).expect(401);
    await s.notifyAndSync(renewed);
  });
});

import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { JobQueue } from '@optline/core';
import { SendGateway } from '@optline/messaging';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

const FLORIDA = '+13055550123'; // Miami
const NEW_YORK = '+12125550123';
const CALIFORNIA = '+14155550123'; // San Francisco
const SPREAD_MS = 10 * 60_000;

describe('quiet hours at send time, in the recipient’s zone and state', () => {
  let hub: TestHub;
  let ws: TestWorkspace;

  const settled = (id: string) =>
    waitFor(`message ${id} to be decided`, async () => {
      const [row] = await hub.dataSource.query('SELECT * FROM message WHERE id = $1', [id]);
      return row && !['queued', 'sending'].includes(row.status) ? (row as Record<string, any>) : null;
    });
  const optedIn = async (phone: string, extra: { timeZone?: string } = {}) => {
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone, ...extra });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'test' } });
    return contact;
  };
  let counter = 0;
  const marketing = async (contactId: string, type: 'marketing' | 'transactional' = 'marketing') =>
    hub.get(SendGateway).submit({ workspaceId: ws.id, contactId, type, body: 'Weekend sale: 20% off.', idempotencyKey: `qh:${++counter}` });

  beforeAll(async () => {
    hub = await TestHub.start();
    ws = await hub.createWorkspace({ timeZone: 'America/Chicago' });
  });
  afterAll(() => hub.close());

  it('at 01:30 UTC defers the Florida number to 8:00 in Miami and sends to New York and California', async () => {
    // Friday 2026-11-20 20:30 in Miami and New York (EST), 17:30 in San Francisco (PST).
    hub.manualClock.set('2026-11-21T01:30:00Z');
    const [fl, ny, ca] = await Promise.all([optedIn(FLORIDA), optedIn(NEW_YORK), optedIn(CALIFORNIA)]);
    const [mFl, mNy, mCa] = await Promise.all([marketing(fl.id), marketing(ny.id), marketing(ca.id)]);
    const [rFl, rNy, rCa] = await Promise.all([settled(mFl.id), settled(mNy.id), settled(mCa.id)]);

    expect(rNy.status).toBe('sent');
    expect(rCa.status).toBe('sent');
    expect(rFl).toMatchObject({ status: 'deferred', reason: 'quiet_hours' });
    // 8:00 EST on Saturday = 13:00 UTC, spread over the next ten minutes so 8:00 is not a burst.
    const until = new Date(rFl.deferred_until).getTime();
    expect(until).toBeGreaterThanOrEqual(Date.parse('2026-11-21T13:00:00Z'));
    expect(until).toBeLessThan(Date.parse('2026-11-21T13:00:00Z') + SPREAD_MS);
    const quiet = rFl.policy_trace.find((p: { policy: string }) => p.policy === 'quiet_hours');
    expect(quiet).toMatchObject({ outcome: 'defer', detail: { closedBy: 'state:FL', stateRule: 'FL', zoneSource: 'phone_exchange', zones: ['America/New_York'] } });

    // The job is re-armed for that instant (Bull holds it, delayed by the clock's distance to it).
    const job = await hub.get(JobQueue).queue('sms.send').getJob(`sms.send:${mFl.id}:at:${until}`);
    expect(job).not.toBeNull();
    expect(await job!.getState()).toBe('delayed');
    expect(job!.opts.delay).toBe(until - Date.parse('2026-11-21T01:30:00Z'));

    // When the moment comes the policies run again and the message goes.
    hub.manualClock.set(until + 1000);
    await job!.promote();
    await waitFor('the deferred message to go out', async () => {
      const [row] = await hub.dataSource.query('SELECT status FROM message WHERE id = $1', [mFl.id]);
      return row.status === 'sent';
    });
  });

  it('at 12:30 UTC defers New York to 8:00 Eastern and California to 8:00 Pacific', async () => {
    // Monday 2026-11-23 07:30 in New York and Miami, 04:30 in San Francisco.
    hub.manualClock.set('2026-11-23T12:30:00Z');
    const [fl, ny, ca] = await Promise.all([optedIn(FLORIDA), optedIn(NEW_YORK), optedIn(CALIFORNIA)]);
    const rows = await Promise.all([fl, ny, ca].map(async (c) => settled((await marketing(c.id)).id)));
    const opensAt = rows.map((r) => r.policy_trace.find((p: { policy: string }) => p.policy === 'quiet_hours').detail.windowOpensAt);
    expect(rows.map((r) => r.status)).toEqual(['deferred', 'deferred', 'deferred']);
    expect(opensAt).toEqual(['2026-11-23T13:00:00.000Z', '2026-11-23T13:00:00.000Z', '2026-11-23T16:00:00.000Z']);
    rows.forEach((r, i) => {
      const until = new Date(r.deferred_until).getTime();
      expect(until - Date.parse(opensAt[i])).toBeGreaterThanOrEqual(0);
      expect(until - Date.parse(opensAt[i])).toBeLessThan(SPREAD_MS);
    });
  });

  it('lets transactional messages through at night (the workspace exempts them by default) but not when it does not', async () => {
    hub.manualClock.set('2026-11-24T07:00:00Z'); // 02:00 in New York
    const ny = await optedIn('+12125550124');
    expect((await settled((await marketing(ny.id, 'transactional')).id)).status).toBe('sent');
    await hub
      .http()
      .patch('/v1/workspace')
      .set('Authorization', await ws.auth())
      .send({ quietHours: { start: '09:00', end: '20:00', exemptTransactional: false } })
      .expect(200);
    try {
      const row = await settled((await marketing(ny.id, 'transactional')).id);
      expect(row).toMatchObject({ status: 'deferred', reason: 'quiet_hours' });
      expect(row.policy_trace.find((p: { policy: string }) => p.policy === 'quiet_hours').detail.windowOpensAt).toBe('2026-11-24T14:00:00.000Z');
    } finally {
      await hub.http().patch('/v1/workspace').set('Authorization', await ws.auth()).send({ quietHours: { start: '08:00', end: '21:00', exemptTransactional: true } }).expect(200);
    }
  });

  it('prefers the contact’s explicit zone, and holds a toll-free number to the workspace’s zone, saying so', async () => {
    hub.manualClock.set('2026-11-24T14:30:00Z'); // 09:30 New York, 08:30 Chicago, 06:30 Los Angeles
    const movedWest = await optedIn('+12125550125', { timeZone: 'America/Los_Angeles' });
    const explicit = await settled((await marketing(movedWest.id)).id);
    expect(explicit.policy_trace.find((p: { policy: string }) => p.policy === 'quiet_hours').detail).toMatchObject({ zoneSource: 'contact', zones: ['America/Los_Angeles'] });
    expect(explicit.status).toBe('deferred');

    const check = await hub.http().post('/v1/messages/check').set('Authorization', await ws.auth()).send({ phone: '+18005550199', type: 'marketing' }).expect(200);
    expect(check.body.zone).toEqual({ zones: ['America/Chicago'], source: 'workspace_unknown_number' });
  });
});

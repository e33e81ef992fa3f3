import { ConsentService, SuppressionService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { SendGateway } from '@optline/messaging';
import { TwilioFake } from '../fakes/twilio-fake';
import { importCsv, uniquePhone } from '../utils/factories/contacts';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

const MIDDAY = new Date('2026-11-20T17:00:00Z');
const ACCOUNT = 'AC1a2b3c4d5e6f708192a3b4c5d6e7f809';
const TOKEN = 'hygiene-test-auth-token-0123';

describe('number hygiene: line-type lookups and carrier deactivation lists', () => {
  let hub: TestHub;
  let twilio: TwilioFake;

  const settled = (id: string) =>
    waitFor(`message ${id} to leave the queue`, async () => {
      const [row] = await hub.dataSource.query('SELECT * FROM message WHERE id = $1', [id]);
      return row && !['queued', 'sending'].includes(row.status) ? (row as Record<string, any>) : null;
    });
  const optedIn = async (ws: TestWorkspace, phone = uniquePhone(312)) => {
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: {} });
    return contact;
  };
  const send = (ws: TestWorkspace, contactId: string, key: string) => hub.get(SendGateway).submit({ workspaceId: ws.id, contactId, type: 'transactional', body: `Your order ${key}`, idempotencyKey: key });
  const lookupWorkspace = async (lineTypeLookup = true) => {
    const ws = await hub.createWorkspace();
    await hub.http().put('/v1/sms-provider').set('Authorization', await ws.auth()).send({ kind: 'twilio', accountSid: ACCOUNT, authToken: TOKEN, from: '+15005550006', apiBaseUrl: twilio.url, lineTypeLookup }).expect(200);
    return ws;
  };
  const suppressionOf = async (ws: TestWorkspace, phone: string) => {
    const hash = hub.get(ContactService).phoneHash(phone);
    const [row] = await hub.dataSource.query('SELECT reason, actor FROM suppression WHERE workspace_id = $1 AND phone_hash = $2', [ws.id, hash]);
    return (row as { reason: string; actor: string } | undefined) ?? null;
  };
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    twilio = await TwilioFake.start(ACCOUNT, TOKEN);
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
  });
  afterAll(async () => {
    await hub.close();
    await twilio.close();
  });

  it('looks a number up before its first text, never texts a landline or an invalid number, and looks each number up once', async () => {
    const ws = await lookupWorkspace();
    const landline = await optedIn(ws);
    const invalid = await optedIn(ws);
    const mobile = await optedIn(ws);
    twilio.setLineType(landline.phone!, 'landline');
    twilio.setLineType(invalid.phone!, 'invalid');

    const [toLandline, toInvalid, toMobile] = await Promise.all([send(ws, landline.id, 'h:1'), send(ws, invalid.id, 'h:2'), send(ws, mobile.id, 'h:3')]);
    expect(await settled(toLandline.id)).toMatchObject({ status: 'blocked', reason: 'suppressed' });
    expect(await settled(toInvalid.id)).toMatchObject({ status: 'blocked', reason: 'suppressed' });
    expect(await settled(toMobile.id)).toMatchObject({ status: 'sent' });
    expect(twilio.sendsTo(landline.phone!)).toHaveLength(0);
    expect(twilio.sendsTo(invalid.phone!)).toHaveLength(0);
    expect(await suppressionOf(ws, landline.phone!)).toEqual({ reason: 'landline', actor: 'hygiene' });
    expect(await suppressionOf(ws, invalid.phone!)).toEqual({ reason: 'invalid_number', actor: 'hygiene' });

    // The answer is kept: a second text to the same number asks Lookup nothing.
    const lookupsBefore = twilio.lookups.filter((p) => p === mobile.phone).length;
    expect(lookupsBefore).toBe(1);
    const other = await optedIn(ws);
    twilio.setLineType(other.phone!, 'nonFixedVoip');
    expect(await settled((await send(ws, other.id, 'h:4')).id)).toMatchObject({ status: 'sent' });
    expect(twilio.lookups.filter((p) => p === other.phone)).toHaveLength(1);
    expect(await settled((await send(ws, other.id, 'h:5')).id)).toMatchObject({ status: 'sent' });
    expect(twilio.lookups.filter((p) => p === other.phone)).toHaveLength(1);
    const cached = await hub.http().get(`/v1/hygiene/lookups/${encodeURIComponent(other.phone!)}`).set('Authorization', await ws.auth('support')).expect(200);
    expect(cached.body).toMatchObject({ phone: other.phone, valid: true, lineType: 'nonFixedVoip' });
    await hub.http().get(`/v1/hygiene/lookups/${encodeURIComponent(uniquePhone(312))}`).set('Authorization', await ws.auth()).expect(404);
    await hub.http().get('/v1/hygiene/lookups/not-a-number').set('Authorization', await ws.auth()).expect(400);
  }, 40_000);

  it('lets a first text go when Lookup fails, and stops asking a failing Lookup for a minute', async () => {
    const ws = await lookupWorkspace();
    const [first, second] = [await optedIn(ws), await optedIn(ws)];
    twilio.lookupFailure = 500;
    try {
      expect(await settled((await send(ws, first.id, 'f:1')).id)).toMatchObject({ status: 'sent' });
      expect(twilio.lookups.filter((p) => p === first.phone)).toHaveLength(1);
      // The next first text does not wait on a Lookup that just failed.
      expect(await settled((await send(ws, second.id, 'f:2')).id)).toMatchObject({ status: 'sent' });
      expect(twilio.lookups.filter((p) => p === second.phone)).toHaveLength(0);
    } finally {
      twilio.lookupFailure = null;
    }
  }, 30_000);

  it('checks an import’s numbers in a sweep, before any text, and the report counts what hygiene removed per day and reason', async () => {
    const ws = await lookupWorkspace();
    const [mobile, landline, invalid] = [uniquePhone(312), uniquePhone(312), uniquePhone(312)];
    twilio.setLineType(landline, 'landline');
    twilio.setLineType(invalid, 'invalid');
    const done = await importCsv(ws, ['phone,first_name', `${mobile},Mo`, `${landline},Lan`, `${invalid},Inv`].join('\n'));
    expect(done).toMatchObject({ status: 'completed', created: 3 });

    const sweep = await hub.http().post('/v1/hygiene/sweep').set('Authorization', await ws.auth()).expect(200);
    expect(sweep.body).toEqual({ looked: 3, suppressed: { landline: 1, invalid_number: 1 }, failed: 0, remaining: false });
    expect(await hub.get(SuppressionService).isSuppressed(ws.id, landline)).toBe(true);
    expect(await hub.get(SuppressionService).isSuppressed(ws.id, mobile)).toBe(false);
    // A second pass has nothing left to look up.
    expect((await hub.http().post('/v1/hygiene/sweep').set('Authorization', await ws.auth()).expect(200)).body).toMatchObject({ looked: 0 });

    const report = await hub.http().get('/v1/hygiene/report').query({ from: today(), to: today() }).set('Authorization', await ws.auth('marketing')).expect(200);
    expect(report.body).toEqual({
      from: today(),
      to: today(),
      days: [
        { day: today(), reason: 'invalid_number', count: 1 },
        { day: today(), reason: 'landline', count: 1 },
      ],
      totals: { invalid_number: 1, landline: 1 },
    });
    const bad = await hub.http().get('/v1/hygiene/report').query({ from: '2026-13-01' }).set('Authorization', await ws.auth()).expect(400);
    expect(bad.body.details[0].field).toBe('from');

    // Without lookup turned on there is nothing to sweep with: said, not silently skipped.
    const off = await lookupWorkspace(false);
    expect((await hub.http().post('/v1/hygiene/sweep').set('Authorization', await off.auth()).expect(422)).body.code).toBe('lookup_not_enabled');
  }, 40_000);

  it('suppresses numbers a carrier deactivated after their consent, and leaves those who opted in again afterwards', async () => {
    const ws = await lookupWorkspace(false);
    // Both opted in on 2026-11-20 (the hub's clock).
    const stale = await optedIn(ws);
    const renewed = await optedIn(ws);
    const stranger = uniquePhone(312);
    const csv = [
      'MDN,Deactivation Date',
      `${stale.phone},2026-11-25`, // deactivated after the consent: the number may be someone else's now
      `${renewed.phone!.slice(2)},20261110`, // deactivated before this consent (national format, YYYYMMDD)
      `${stranger},11/01/2026`, // never a contact: suppressed all the same
      `${stale.phone},not-a-date`,
      `12,2026-11-01`,
    ].join('\n');
    const res = await hub.http().post('/v1/hygiene/deactivations').set('Authorization', await ws.auth()).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(res.body).toMatchObject({ rowsRead: 5, suppressed: 2, alreadySuppressed: 0, reconsented: 1, rejected: 2 });
    expect(res.body.rejections.map((r: { line: number }) => r.line)).toEqual([5, 6]);
    expect(await suppressionOf(ws, stale.phone!)).toEqual({ reason: 'deactivated', actor: 'hygiene' });
    expect(await suppressionOf(ws, stranger)).toEqual({ reason: 'deactivated', actor: 'hygiene' });
    expect(await suppressionOf(ws, renewed.phone!)).toBeNull();
    const recorded = await hub.dataSource.query(`SELECT to_char(deactivated_on, 'YYYY-MM-DD') AS day, outcome, imported_at FROM number_deactivation WHERE workspace_id = $1 ORDER BY day`, [ws.id]);
    expect(recorded.map((r: { day: string; outcome: string }) => [r.day, r.outcome])).toEqual([
      ['2026-11-01', 'suppressed'],
      ['2026-11-10', 'reconsented'],
      ['2026-11-25', 'suppressed'],
    ]);
    expect(recorded.every((r: { imported_at: Date }) => r.imported_at.getTime() === MIDDAY.getTime())).toBe(true);

    // The gateway: no text to the deactivated number, the renewed one goes.
    expect(await settled((await send(ws, stale.id, 'd:1')).id)).toMatchObject({ status: 'blocked', reason: 'suppressed' });
    expect(await settled((await send(ws, renewed.id, 'd:2')).id)).toMatchObject({ status: 'sent' });
    expect(twilio.sendsTo(stale.phone!)).toHaveLength(0);

    // The same list again changes nothing; the report counts the deactivations once.
    const again = await hub.http().post('/v1/hygiene/deactivations').set('Authorization', await ws.auth()).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(again.body).toMatchObject({ suppressed: 0, alreadySuppressed: 2, reconsented: 1 });
    const report = await hub.http().get('/v1/hygiene/report').query({ from: today(), to: today() }).set('Authorization', await ws.auth()).expect(200);
    expect(report.body.totals).toEqual({ deactivated: 2 });
    await hub.http().post('/v1/hygiene/deactivations').set('Authorization', await ws.auth()).set('Content-Type', 'text/csv').send('phone,when\n+13125550100,2026-11-01').expect(422);
    await hub.http().post('/v1/hygiene/deactivations').set('Authorization', await ws.auth()).send({ phone: '+13125550100' }).expect(400);
    await hub.http().post('/v1/hygiene/deactivations').set('Authorization', await ws.auth('marketing')).set('Content-Type', 'text/csv').send(csv).expect(403);
  }, 40_000);
});

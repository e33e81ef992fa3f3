import { ConsentService, SuppressionService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { JobQueue } from '@optline/core';
import { ConsoleSmsProvider, MessageReconciler, SendGateway } from '@optline/messaging';
import { StatusCallbackService } from '../../libs/messaging/src/inbound/status-callback.service';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/** Noon in Miami and New York, 9:00 in Los Angeles: inside every window unless a test moves the clock. */
const MIDDAY = new Date('2026-11-20T17:00:00Z');

describe('send gateway: submit, policies at send time, console provider', () => {
  let hub: TestHub;
  let ws: TestWorkspace;

  const messageRow = async (id: string) =>
    (await hub.dataSource.query('SELECT * FROM message WHERE id = $1', [id]))[0] as Record<string, any> | undefined;
  const settled = (id: string) =>
    waitFor(`message ${id} to leave the queue`, async () => {
      const row = await messageRow(id);
      return row && !['queued', 'sending'].includes(row.status) ? row : null;
    });
  const contactFor = async (workspaceId: string, phone: string) => (await hub.get(ContactService).upsertByPhone(workspaceId, { phone })).contact;
  const optIn = async (workspaceId: string, phone: string, types: ('marketing' | 'transactional' | 'conversational')[] | 'all' = 'all') => {
    const contact = await contactFor(workspaceId, phone);
    await hub.get(ConsentService).record(workspaceId, { contactId: contact.id, types, state: 'opted_in', source: 'web_form', evidence: { form: 'test' } });
    return contact;
  };
  const send = async (body: Record<string, unknown>, key: string, status: number, workspace = ws) =>
    hub.http().post('/v1/messages').set('Authorization', await workspace.auth('marketing')).set('Idempotency-Key', key).send(body).expect(status);

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
    ws = await hub.createWorkspace();
  });
  afterAll(() => hub.close());

  it('queues a message, then sends it through the console provider with the brand and the opt-out footer', async () => {
    await optIn(ws.id, '+13125550101');
    const res = await send({ to: '(312) 555-0101', type: 'marketing', body: 'Flash sale: 20% off today.' }, 'first-1', 202);
    expect(res.body).toMatchObject({ status: 'queued', type: 'marketing', direction: 'outbound', idempotencyKey: 'api:first-1', phone: '+1312•••0101' });
    const row = await settled(res.body.id);
    expect(row).toMatchObject({ status: 'sent', provider: 'console', reason: null });
    // The first message names the brand; marketing carries the footer.
    expect(row.body).toBe('Acme Alerts: Flash sale: 20% off today.\nReply STOP to opt out.');
    const outbox = hub.get(ConsoleSmsProvider).outbox({ workspaceId: ws.id, to: '+13125550101' });
    expect(outbox.map((s) => s.body)).toEqual([row.body]);

    // The second message to the same person does not repeat the brand.
    const second = await send({ to: '+13125550101', type: 'marketing', body: 'Last hours of the sale. Reply STOP to opt out' }, 'first-2', 202);
    expect((await settled(second.body.id)).body).toBe('Last hours of the sale. Reply STOP to opt out');
  });

  it('answers a replayed Idempotency-Key with the first message and sends nothing again', async () => {
    await optIn(ws.id, '+13125550102');
    const first = await send({ to: '+13125550102', type: 'transactional', body: 'Order 1042 shipped.' }, 'replay-1', 202);
    await settled(first.body.id);
    const again = await send({ to: '+13125550102', type: 'transactional', body: 'Something else entirely' }, 'replay-1', 202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(hub.get(ConsoleSmsProvider).outbox({ to: '+13125550102' })).toHaveLength(1);
    const missing = await hub.http().post('/v1/messages').set('Authorization', await ws.auth()).send({ to: '+13125550102', type: 'transactional', body: 'x' }).expect(422);
    expect(missing.body.details[0].field).toBe('Idempotency-Key');
  });

  it('turns the same key submitted many times concurrently into one row and one provider call', async () => {
    const contact = await optIn(ws.id, '+13125550103');
    const gateway = hub.get(SendGateway);
    const submits = Array.from({ length: 25 }, (_, i) =>
      gateway.submit({ workspaceId: ws.id, contactId: contact.id, type: 'transactional', body: `Your code is 4711 (${i})`, idempotencyKey: `run:race:${contact.id}` }),
    );
    const messages = await Promise.all(submits);
    expect(new Set(messages.map((m) => m.id)).size).toBe(1);
    await settled(messages[0].id);
    const rows = await hub.dataSource.query('SELECT count(*)::int AS n FROM message WHERE workspace_id = $1 AND idempotency_key = $2', [ws.id, `run:race:${contact.id}`]);
    expect(rows[0].n).toBe(1);
    // Let any stray job run before counting provider calls.
    await waitFor('the sends queue to drain', async () => (await hub.get(JobQueue).queue('sms.send').getJobCounts()).active === 0);
    expect(hub.get(ConsoleSmsProvider).outbox({ to: '+13125550103' })).toHaveLength(1);
  });

  it('submits many in one call: duplicates collapse, earlier keys return their first message', async () => {
    const a = await optIn(ws.id, '+13125550104');
    const gateway = hub.get(SendGateway);
    const earlier = await gateway.submit({ workspaceId: ws.id, contactId: a.id, type: 'transactional', body: 'Earlier', idempotencyKey: 'batch:earlier' });
    // Sent before the batch, so it is the one that introduces the brand.
    await settled(earlier.id);
    const result = await gateway.submitMany([
      { workspaceId: ws.id, contactId: a.id, type: 'transactional', body: 'One', idempotencyKey: 'batch:1' },
      { workspaceId: ws.id, phone: '+13125550105', type: 'transactional', template: 'Hi {{ contact.phone }} from {{ workspace.brandName }}', idempotencyKey: 'batch:2' },
      { workspaceId: ws.id, contactId: a.id, type: 'transactional', body: 'One again', idempotencyKey: 'batch:1' },
      { workspaceId: ws.id, contactId: a.id, type: 'transactional', body: 'Later', idempotencyKey: 'batch:earlier' },
    ]);
    expect(result[0].id).toBe(result[2].id);
    expect(result[3].id).toBe(earlier.id);
    expect(result[1].body).toBe('Hi +13125550105 from Acme Alerts');
    await Promise.all(result.map((m) => settled(m.id)));
    expect(hub.get(ConsoleSmsProvider).outbox({ to: '+13125550104' }).map((s) => s.body).sort()).toEqual(['Acme Alerts: Earlier', 'One'].sort());
  });

  it.each([
    ['none', null, 'no_consent'],
    ['pending', 'pending', 'pending_opt_in'],
    ['opted_out', 'opted_out', 'opted_out'],
  ] as const)('sends no marketing to a %s contact', async (label, state, reason) => {
    const phone = `+1312555${{ none: '0110', pending: '0111', opted_out: '0112' }[label]}`;
    const contact = await contactFor(ws.id, phone);
    if (state) await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: ['marketing'], state, source: 'web_form', evidence: { form: 'test' } });
    const res = await send({ contactId: contact.id, type: 'marketing', body: 'Sale!' }, `consent-${label}`, 202);
    expect(await settled(res.body.id)).toMatchObject({ status: 'blocked', reason });
    expect(hub.get(ConsoleSmsProvider).outbox({ to: phone })).toHaveLength(0);
  });

  it('blocks a suppressed number at send time', async () => {
    await optIn(ws.id, '+13125550113');
    await hub.get(SuppressionService).add(ws.id, { phone: '+13125550113', reason: 'landline', actor: 'test' });
    const res = await send({ to: '+13125550113', type: 'transactional', body: 'Hello' }, 'suppressed-1', 202);
    expect(await settled(res.body.id)).toMatchObject({ status: 'blocked', reason: 'suppressed' });
  });

  it('caps marketing per contact in the rolling window', async () => {
    await optIn(ws.id, '+13125550114');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await send({ to: '+13125550114', type: 'marketing', body: `Deal ${i}` }, `cap-${i}`, 202);
      await settled(res.body.id);
      ids.push(res.body.id);
    }
    const rows = await Promise.all(ids.map(messageRow));
    expect(rows.map((r) => r!.status)).toEqual(['sent', 'sent', 'sent', 'blocked']);
    expect(rows[3]).toMatchObject({ reason: 'frequency_cap' });
    // A day later the window has rolled on.
    hub.manualClock.advance(25 * 3_600_000);
    try {
      const res = await send({ to: '+13125550114', type: 'marketing', body: 'Deal 5' }, 'cap-5', 202);
      expect((await settled(res.body.id)).status).toBe('sent');
    } finally {
      hub.manualClock.set(MIDDAY);
    }
  });

  it('decides messages submitted together one after another for the same person: the cap holds and the brand comes once', async () => {
    const capped = await optIn(ws.id, '+13125550175');
    const others = await Promise.all(['+13125550176', '+13125550177'].map((phone) => optIn(ws.id, phone)));
    // One submitMany: one batch job, decided as one batch of sends.
    const submitted = await hub.get(SendGateway).submitMany([
      ...Array.from({ length: 5 }, (_, i) => ({ workspaceId: ws.id, contactId: capped.id, type: 'marketing' as const, body: `Burst ${i}`, idempotencyKey: `burst:${i}` })),
      ...others.map((c, i) => ({ workspaceId: ws.id, contactId: c.id, type: 'marketing' as const, body: `Hello ${i}`, idempotencyKey: `burst:other:${i}` })),
    ]);
    const rows = await Promise.all(submitted.map((m) => settled(m.id)));
    const toCapped = rows.slice(0, 5);
    expect(toCapped.filter((r) => r.status === 'sent')).toHaveLength(3);
    expect(toCapped.filter((r) => r.status === 'blocked').map((r) => r.reason)).toEqual(['frequency_cap', 'frequency_cap']);
    // Only the person's first text names the brand, though all were decided in one batch.
    expect(toCapped.filter((r) => r.status === 'sent' && String(r.body).startsWith('Acme Alerts:'))).toHaveLength(1);
    expect(rows.slice(5).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('leaves alone a message another attempt is handing off: a second job neither re-sends it nor records it failed', async () => {
    const contact = await optIn(ws.id, '+13125550115');
    const queue = hub.get(JobQueue).queue('sms.send');
    await queue.pause(true);
    let messageId: string;
    try {
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'transactional', body: 'Receipt', idempotencyKey: 'crash:1' });
      messageId = message.id;
      // Another worker claimed it a moment ago and is calling the provider.
      await hub.dataSource.query(`UPDATE message SET status = 'sending', handed_off_at = $2 WHERE id = $1`, [message.id, hub.clock.now()]);
    } finally {
      await queue.resume(true);
    }
    // The job ran (it found the hand-off in flight) and wrote nothing.
    await waitFor('the send job to finish', async () => (await queue.getJob(`sms.send:${messageId!}`))?.finishedOn);
    expect(await queue.getJob(`sms.send:${messageId!}`).then((j) => j!.returnvalue)).toBe('in_flight');
    expect(await messageRow(messageId!)).toMatchObject({ status: 'sending', reason: null });
    expect(hub.get(ConsoleSmsProvider).outbox({ to: '+13125550115' })).toHaveLength(0);
    // That worker's answer still lands.
    await hub.get(StatusCallbackService).report(ws.id, { provider: 'http', messageId: messageId!, providerMessageId: 'carrier-1', status: 'delivered' });
    expect(await messageRow(messageId!)).toMatchObject({ status: 'delivered', reason: null });
  });

  it('flags a hand-off that died without an answer as ambiguous (still sending, never failed, never re-sent); a late delivery report moves it on', async () => {
    const contact = await optIn(ws.id, '+13125550117');
    const queue = hub.get(JobQueue).queue('sms.send');
    await queue.pause(true);
    let messageId: string;
    try {
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'transactional', body: 'Receipt', idempotencyKey: 'crash:2' });
      messageId = message.id;
      // Claimed three minutes ago by a worker that was killed during the provider call.
      await hub.dataSource.query(`UPDATE message SET status = 'sending', handed_off_at = $2 WHERE id = $1`, [message.id, new Date(hub.clock.now().getTime() - 3 * 60_000)]);
    } finally {
      await queue.resume(true);
    }
    const row = await waitFor('the ambiguous flag', async () => {
      const r = await messageRow(messageId!);
      return r?.reason === 'ambiguous_handoff' ? r : null;
    });
    expect(row).toMatchObject({ status: 'sending', reason: 'ambiguous_handoff' });
    expect(row.policy_trace.at(-1)).toMatchObject({ policy: 'duplicate_key', outcome: 'fail', reason: 'ambiguous_handoff' });
    expect(hub.get(ConsoleSmsProvider).outbox({ to: '+13125550117' })).toHaveLength(0);
    // The reconciler does not pick a flagged hand-off up again.
    hub.manualClock.advance(11 * 60_000);
    try {
      const due = await hub.dataSource.query(`SELECT 1 FROM message WHERE id = $1 AND status = 'sending' AND reason IS NULL`, [messageId!]);
      expect(due).toHaveLength(0);
    } finally {
      hub.manualClock.set(MIDDAY);
    }
    // The carrier had taken it after all: its report moves it forward and clears the flag.
    await hub.get(StatusCallbackService).report(ws.id, { provider: 'http', messageId: messageId!, providerMessageId: 'carrier-2', status: 'delivered' });
    expect(await messageRow(messageId!)).toMatchObject({ status: 'delivered', reason: null });
  });

  it('re-arms from Postgres a queued message whose job was lost with Redis (law 3)', async () => {
    const contact = await optIn(ws.id, '+13125550119');
    const queue = hub.get(JobQueue).queue('sms.send');
    await queue.pause(true);
    let messageId: string;
    let crashedId: string;
    try {
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'transactional', body: 'Lost and found', idempotencyKey: 'lost:1' });
      messageId = message.id;
      await (await queue.getJob(`sms.send:${message.id}`))!.remove();
      // Another one was mid-hand-off when the worker and Redis went down together.
      const crashed = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'transactional', body: 'Crashed', idempotencyKey: 'lost:2' });
      crashedId = crashed.id;
      await (await queue.getJob(`sms.send:${crashed.id}`))!.remove();
      await hub.dataSource.query(`UPDATE message SET status = 'sending', handed_off_at = $2 WHERE id = $1`, [crashed.id, MIDDAY]);
    } finally {
      await queue.resume(true);
    }
    // Nothing will ever look at it...
    expect((await messageRow(messageId!))!.status).toBe('queued');
    // ...until the reconciler finds it due (after a grace minute for jobs in flight).
    expect(await hub.get(MessageReconciler).rearmDue()).toBe(0);
    hub.manualClock.advance(11 * 60_000);
    try {
      expect(await hub.get(MessageReconciler).rearmDue()).toBeGreaterThanOrEqual(2);
      expect((await settled(messageId!)).status).toBe('sent');
      expect(
        await waitFor('the crashed hand-off to be flagged', async () => {
          const r = await messageRow(crashedId!);
          return r?.reason === 'ambiguous_handoff' ? r : null;
        }),
      ).toMatchObject({ status: 'sending', reason: 'ambiguous_handoff' });
      expect(hub.get(ConsoleSmsProvider).outbox({ to: '+13125550119' })).toHaveLength(1);
    } finally {
      hub.manualClock.set(MIDDAY);
    }
  });

  it('refuses at submit a body longer than the workspace segment limit, naming the field', async () => {
    const res = await send({ to: '+13125550116', type: 'transactional', body: 'a'.repeat(153 * 6 + 1) }, 'too-long', 422);
    expect(res.body).toMatchObject({ code: 'too_many_segments', details: [{ field: 'body' }] });
    // Marketing counts the footer it will get.
    const marketing = await send({ to: '+13125550116', type: 'marketing', body: 'a'.repeat(153 * 6 - 5) }, 'too-long-2', 422);
    expect(marketing.body.message).toMatch(/with the opt-out footer/);
  });

  it.each([
    ['160 GSM-7 characters', 'a'.repeat(160), 1, 'GSM-7'],
    ['161 GSM-7 characters', 'a'.repeat(161), 2, 'GSM-7'],
    ['159 characters and a euro sign', `${'a'.repeat(159)}€`, 2, 'GSM-7'],
    ['one emoji among 69 letters', `${'a'.repeat(69)}😀`, 2, 'UCS-2'],
    ['a short accented word', 'Olá', 1, 'UCS-2'],
  ])('stores segments and encoding per message: %s', async (label, body, segments, encoding) => {
    const contact = await optIn(ws.id, '+13125550117');
    const res = await send({ contactId: contact.id, type: 'transactional', body }, `segments-${label.replace(/\W+/g, '-')}`, 202);
    expect(res.body).toMatchObject({ segments, encoding });
  });

  it('renders Liquid strictly and turns links into branded short links that count clicks', async () => {
    await optIn(ws.id, '+13125550118');
    const unknown = await send({ to: '+13125550118', type: 'marketing', template: 'Hi {{ contact.nickname }}' }, 'tpl-bad', 422);
    expect(unknown.body).toMatchObject({ code: 'template_error', details: [{ field: 'template' }] });

    const res = await send(
      { to: '+13125550118', type: 'marketing', template: 'Hi {{ contact.firstName | default: "there" }}, your cart: {{ cartUrl | link }}', data: { cartUrl: 'https://acme.test/cart/abc?x=1' } },
      'tpl-link',
      202,
    );
    const match = /https:\/\/hub\.optline\.test\/l\/([A-Za-z0-9]+)/.exec(res.body.body);
    expect(match).not.toBeNull();
    expect(res.body.body).toBe(`Hi there, your cart: ${match![0]}`);
    const redirect = await hub.http().get(`/l/${match![1]}`).expect(302);
    expect(redirect.headers.location).toBe('https://acme.test/cart/abc?x=1');
    await hub.http().get(`/l/${match![1]}`).expect(302);
    const detail = await hub.http().get(`/v1/messages/${res.body.id}`).set('Authorization', await ws.auth('support')).expect(200);
    expect(detail.body.links).toEqual([expect.objectContaining({ url: 'https://acme.test/cart/abc?x=1', clicks: 2 })]);
    await hub.http().get('/l/NoSuchCode9').expect(404);
  });

  it('explains every policy without sending (POST /v1/messages/check)', async () => {
    const res = await hub.http().post('/v1/messages/check').set('Authorization', await ws.auth('support')).send({ phone: '+13055550177', type: 'marketing' }).expect(200);
    expect(res.body).toMatchObject({ allowed: false, outcome: 'block', policy: 'consent', reason: 'no_consent', contactId: null, region: 'FL' });
    expect(res.body.zone).toEqual({ zones: ['America/New_York'], source: 'phone_exchange' });
    expect(res.body.policies.map((p: { policy: string }) => p.policy)).toEqual(['suppression', 'consent', 'quiet_hours', 'frequency_cap', 'duplicate_key']);
    // Nothing was created by asking.
    expect(await hub.get(ContactService).findByPhone(ws.id, '+13055550177')).toBeNull();

    const contact = await optIn(ws.id, '+13055550178');
    const ok = await hub.http().post('/v1/messages/check').set('Authorization', await ws.auth()).send({ contactId: contact.id, type: 'marketing' }).expect(200);
    expect(ok.body).toMatchObject({ allowed: true, outcome: 'pass' });
    const help = await hub.http().post('/v1/messages/check').set('Authorization', await ws.auth()).send({ phone: '+13055550177', type: 'system', systemKind: 'help' }).expect(200);
    expect(help.body.allowed).toBe(true);

    const bad = await hub.http().post('/v1/messages/check').set('Authorization', await ws.auth()).send({ phone: 'not a phone', type: 'marketing' }).expect(422);
    expect(bad.body.details[0].field).toBe('phone');
    await hub.http().post('/v1/messages/check').set('Authorization', await ws.auth()).send({ contactId: '00000000-0000-4000-8000-000000000000', type: 'marketing' }).expect(404);
  });

  it('lists the log with filters, and keeps workspaces apart', async () => {
    const auth = await ws.auth('support');
    const blocked = await hub.http().get('/v1/messages').query({ status: 'blocked', reason: 'opted_out' }).set('Authorization', auth).expect(200);
    expect(blocked.body.data.length).toBeGreaterThan(0);
    expect(blocked.body.data.every((m: { status: string; reason: string }) => m.status === 'blocked' && m.reason === 'opted_out')).toBe(true);

    const contact = await contactFor(ws.id, '+13125550101');
    const mine = await hub.http().get('/v1/messages').query({ contactId: contact.id, limit: 1 }).set('Authorization', auth).expect(200);
    expect(mine.body.data).toHaveLength(1);
    const next = await hub.http().get('/v1/messages').query({ contactId: contact.id, limit: 1, cursor: mine.body.nextCursor }).set('Authorization', auth).expect(200);
    expect(next.body.data[0].id).not.toBe(mine.body.data[0].id);

    const timed = await hub.http().get('/v1/messages').query({ since: '2030-01-01T00:00:00Z' }).set('Authorization', auth).expect(200);
    expect(timed.body.data).toEqual([]);
    await hub.http().get('/v1/messages').query({ status: 'nonsense' }).set('Authorization', auth).expect(400);

    const other = await hub.createWorkspace({ name: 'Other' });
    const foreign = await hub.http().get(`/v1/messages/${mine.body.data[0].id}`).set('Authorization', await other.auth()).expect(404);
    expect(foreign.body.code).toBe('message_not_found');
    const otherList = await hub.http().get('/v1/messages').set('Authorization', await other.auth()).expect(200);
    expect(otherList.body.data).toEqual([]);
    // B cannot send to A's contact by id either.
    await send({ contactId: contact.id, type: 'transactional', body: 'hi' }, 'foreign-1', 404, other);
  });
});

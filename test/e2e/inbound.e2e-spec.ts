import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConsentService, SuppressionService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { DomainEventBus, DomainEventMap, JobQueue } from '@optline/core';
import { SendGateway } from '@optline/messaging';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { TwilioFake, twilioFixtureForm, twilioSignature } from '../fakes/twilio-fake';
import { waitFor } from '../utils/wait';

const MIDDAY = new Date('2026-11-20T17:00:00Z');
const ACCOUNT_SID = 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c';
const AUTH_TOKEN = '5a1b2c3d4e5f60718293a4b5c6d7e8f9';
const OUR_NUMBER = '+15005550006';
const PUBLIC_URL = 'https://hub.optline.test';

describe('inbound SMS, keywords, Twilio provider and status callbacks', () => {
  let hub: TestHub;
  let twilio: TwilioFake;
  let ws: TestWorkspace;
  const received: DomainEventMap['sms.received'][] = [];
  let listenerGate: Promise<void> = Promise.resolve();
  let sidCounter = 0;

  const path = (workspaceId: string, suffix = '') => `/hooks/sms/twilio/${workspaceId}${suffix}`;
  const rows = (sql: string, params: unknown[]) => hub.dataSource.query(sql, params) as Promise<Record<string, any>[]>;

  /** Posts a Twilio inbound webhook, signed as Twilio signs it. */
  function inbound(from: string, body: string, extra: Record<string, string> = {}, workspace = ws) {
    const params: Record<string, string> = { ...twilioFixtureForm('inbound-stop.form'), From: from, To: OUR_NUMBER, Body: body, MessageSid: `SM${String(++sidCounter).padStart(32, '0')}` };
    delete params.OptOutType;
    Object.assign(params, extra);
    const url = `${PUBLIC_URL}${path(workspace.id)}`;
    return hub
      .http()
      .post(path(workspace.id))
      .type('form')
      .set('X-Twilio-Signature', twilioSignature(AUTH_TOKEN, url, params))
      .send(params);
  }

  const stateOf = async (phone: string) => {
    const contact = await hub.get(ContactService).findByPhone(ws.id, phone);
    return (await hub.get(ConsentService).statesFor(ws.id, [contact!.id])).get(contact!.id);
  };
  const repliesTo = (phone: string) => twilio.sendsTo(phone).map((s) => s.params.Body);
  const settledReplies = (phone: string, count: number) => waitFor(`${count} replies to ${phone}`, async () => (repliesTo(phone).length >= count ? repliesTo(phone) : null));
  const settled = (id: string) =>
    waitFor(`message ${id} to leave the queue`, async () => {
      const [row] = await rows('SELECT * FROM message WHERE id = $1', [id]);
      return row && !['queued', 'sending'].includes(row.status) ? row : null;
    });

  async function useTwilio(workspace: TestWorkspace, extra: Record<string, unknown> = {}) {
    return hub
      .http()
      .put('/v1/sms-provider')
      .set('Authorization', await workspace.auth())
      .send({ kind: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: OUR_NUMBER, apiBaseUrl: twilio.url, ...extra })
      .expect(200);
  }

  beforeAll(async () => {
    twilio = await TwilioFake.start(ACCOUNT_SID, AUTH_TOKEN);
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
    hub.get(DomainEventBus).subscribe('sms.received', async (event) => {
      // A listener that takes its time (the inbox, a flow, a slow outbound webhook) when told to.
      if (event.body === 'Slow listener, please') await listenerGate;
      received.push(event);
    });
    ws = await hub.createWorkspace({ supportPhone: '+14155550100', supportUrl: 'https://acme.test/help' });
    await useTwilio(ws);
  });
  afterAll(async () => {
    await hub.close();
    await twilio.close();
  });

  it('computes X-Twilio-Signature exactly as Twilio documents it', () => {
    const vectors = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/signature-vectors.json'), 'utf8')).twilio;
    expect(twilioSignature(vectors.authToken, vectors.url, vectors.params)).toBe(vectors.expected);
  });

  describe('Twilio signature', () => {
    it('accepts a correctly signed webhook and stores the text once, even when Twilio retries it', async () => {
      const params = { ...twilioFixtureForm('inbound-stop.form'), From: '+13055550201', Body: 'Hello there', MessageSid: 'SM00000000000000000000000000000201' };
      delete (params as Record<string, string>).OptOutType;
      const signature = twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path(ws.id)}`, params);
      for (let i = 0; i < 2; i++) {
        const res = await hub.http().post(path(ws.id)).type('form').set('X-Twilio-Signature', signature).send(params).expect(200);
        expect(res.headers['content-type']).toMatch(/xml/);
        expect(res.text).toContain('<Response');
      }
      const stored = await rows(`SELECT * FROM message WHERE workspace_id = $1 AND provider_message_id = $2`, [ws.id, params.MessageSid]);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ direction: 'inbound', body: 'Hello there', idempotency_key: `inbound:twilio:${params.MessageSid}` });
    });

    it('refuses a tampered body, a wrong URL and a missing signature with 401, storing nothing', async () => {
      const params = { From: '+13055550202', To: OUR_NUMBER, Body: 'STOP', MessageSid: 'SM00000000000000000000000000000202', AccountSid: ACCOUNT_SID };
      const good = twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path(ws.id)}`, params);
      const tampered = await hub.http().post(path(ws.id)).type('form').set('X-Twilio-Signature', good).send({ ...params, Body: 'START' }).expect(401);
      expect(tampered.body.code).toBe('invalid_signature');
      const wrongUrl = twilioSignature(AUTH_TOKEN, `https://elsewhere.test${path(ws.id)}`, params);
      await hub.http().post(path(ws.id)).type('form').set('X-Twilio-Signature', wrongUrl).send(params).expect(401);
      const otherToken = twilioSignature('not-the-auth-token', `${PUBLIC_URL}${path(ws.id)}`, params);
      await hub.http().post(path(ws.id)).type('form').set('X-Twilio-Signature', otherToken).send(params).expect(401);
      await hub.http().post(path(ws.id)).type('form').send(params).expect(401);
      expect(await rows(`SELECT 1 FROM message WHERE provider_message_id = $1`, [params.MessageSid])).toHaveLength(0);
      expect(await hub.get(ContactService).findByPhone(ws.id, '+13055550202')).toBeNull();
    });

    it('answers 404 for a workspace that does not use Twilio, and 400 for a malformed workspace id', async () => {
      const plain = await hub.createWorkspace({ name: 'Console only' });
      const res = await inbound('+13055550203', 'hi', {}, plain).expect(404);
      expect(res.body.code).toBe('sms_provider_not_configured');
      await hub.http().post('/hooks/sms/twilio/not-a-uuid').type('form').send({ Body: 'x' }).expect(400);
    });
  });

  describe('keywords', () => {
    // Seed 003's program confirmation; a Spanish keyword is answered in Spanish.
    const STOP_CONFIRMATION = {
      en: 'Acme Alerts: You have been unsubscribed and will receive no further text messages from this program. Reply HELP for help.',
      es: 'Acme Alerts: Se ha cancelado su suscripción y no recibirá más mensajes de texto de este programa. Responda AYUDA para obtener ayuda.',
    };
    it.each([
      ['STOP', 'stop', 'en'],
      ['stop', 'stop', 'en'],
      ['Stop.', 'stop', 'en'],
      ['  UNSUBSCRIBE! ', 'stop', 'en'],
      ['opt-out', 'stop', 'en'],
      ['Please stop texting me', 'stop', 'en'],
      ['¡Alto!', 'stop', 'es'],
      ['PARAR', 'stop', 'es'],
      ['cancelar', 'stop', 'es'],
    ] as const)('%j opts the person out of everything and confirms once, in its language', async (text, keyword, language) => {
      const phone = `+1305555${String(1000 + (sidCounter % 9000)).padStart(4, '0')}`;
      await hub.get(ConsentService).record(ws.id, {
        contactId: (await hub.get(ContactService).upsertByPhone(ws.id, { phone })).contact.id,
        types: 'all',
        state: 'opted_in',
        source: 'web_form',
        evidence: { form: 'test' },
      });
      await inbound(phone, text).expect(200);
      expect(await stateOf(phone)).toEqual({ marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' });
      const [entry] = await rows(
        `SELECT source, evidence FROM consent_event WHERE workspace_id = $1 AND contact_id = (SELECT id FROM contact WHERE workspace_id = $1 AND phone = $2) ORDER BY seq DESC LIMIT 1`,
        [ws.id, phone],
      );
      expect(entry.source).toBe('sms_keyword');
      expect(entry.evidence).toMatchObject({ text, keyword });
      expect(await settledReplies(phone, 1)).toEqual([STOP_CONFIRMATION[language]]);
      // A second STOP is stored but not answered again.
      await inbound(phone, 'STOP').expect(200);
      const [{ n }] = await rows(`SELECT count(*)::int AS n FROM message WHERE workspace_id = $1 AND phone = $2 AND origin->>'systemKind' = 'stop_confirmation'`, [ws.id, phone]);
      expect(n).toBe(1);
    });

    it('takes a burst of STOPs at once — new numbers, opted-in ones, one number twice, one that is no phone — and answers each as it would alone', async () => {
      const known = Array.from({ length: 20 }, (_, i) => `+1305556${String(2000 + i)}`);
      for (const phone of known) {
        const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
        await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'burst' } });
      }
      const strangers = Array.from({ length: 10 }, (_, i) => `+1305556${String(3000 + i)}`);
      const twice = known[0];
      const answers = await Promise.all([...known, ...strangers, twice, 'not-a-phone'].map((phone) => inbound(phone, 'STOP')));
      // The number that is no phone fails alone, naming the field; every other STOP is answered 200.
      expect(answers.at(-1)!.status).toBe(422);
      expect(answers.at(-1)!.text).toContain('phone');
      expect(answers.slice(0, -1).map((a) => a.status)).toEqual(answers.slice(0, -1).map(() => 200));
      for (const phone of [...known, ...strangers]) {
        expect(await stateOf(phone)).toEqual({ marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' });
      }
      // Each gets one confirmation — the number that wrote twice too.
      for (const phone of [...known, ...strangers]) expect(await settledReplies(phone, 1)).toHaveLength(1);
      const confirmations = await rows(`SELECT phone, count(*)::int AS n FROM message WHERE workspace_id = $1 AND phone = ANY($2) AND origin->>'systemKind' = 'stop_confirmation' GROUP BY phone`, [ws.id, [...known, ...strangers]]);
      expect(confirmations).toHaveLength(known.length + strangers.length);
      expect(confirmations.every((c) => c.n === 1)).toBe(true);
      const [{ n: stored }] = await rows(`SELECT count(*)::int AS n FROM message WHERE workspace_id = $1 AND direction = 'inbound' AND phone = $2`, [ws.id, twice]);
      expect(stored).toBe(2);
    });

    it('does not opt out on a sentence that merely contains a keyword, but flags it', async () => {
      const phone = '+13055550301';
      await hub.get(ConsentService).record(ws.id, { contactId: (await hub.get(ContactService).upsertByPhone(ws.id, { phone })).contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: {} });
      await inbound(phone, "I'll stop by tomorrow").expect(200);
      expect((await stateOf(phone))!.marketing).toBe('opted_in');
      const [row] = await rows(`SELECT origin FROM message WHERE workspace_id = $1 AND phone = $2 AND direction = 'inbound'`, [ws.id, phone]);
      expect(row.origin).toEqual({ flagForReview: true });
    });

    it('answers HELP with the support contacts, even to someone who opted out', async () => {
      const phone = '+13055550302';
      await inbound(phone, 'STOP').expect(200);
      await inbound(phone, 'help?').expect(200);
      await inbound(phone, 'Info').expect(200);
      const replies = await settledReplies(phone, 3);
      expect(replies.slice(1)).toEqual([
        'Acme Alerts: Help at +14155550100, help@acme.test or https://acme.test/help. Msg&data rates may apply. Reply STOP to cancel.',
        'Acme Alerts: Help at +14155550100, help@acme.test or https://acme.test/help. Msg&data rates may apply. Reply STOP to cancel.',
      ]);
    });

    it('resubscribes on START after STOP, but not on YES', async () => {
      const phone = '+13055550303';
      await inbound(phone, 'STOP').expect(200);
      await inbound(phone, 'yes').expect(200);
      expect((await stateOf(phone))!.marketing).toBe('opted_out');
      await inbound(phone, 'Start!').expect(200);
      expect(await stateOf(phone)).toEqual({ marketing: 'opted_in', transactional: 'opted_in', conversational: 'opted_in' });
      const replies = await settledReplies(phone, 2);
      expect(replies[1]).toMatch(/^Acme Alerts: You're resubscribed/);
    });

    it('confirms a pending opt-in on YES', async () => {
      const phone = '+13055550304';
      const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
      await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: ['marketing'], state: 'pending', source: 'web_form', evidence: { form: 'double opt-in' } });
      await inbound(phone, 'Y').expect(200);
      expect((await stateOf(phone))!.marketing).toBe('opted_in');
      expect(await settledReplies(phone, 1)).toEqual(['[Auto Message] Opt in confirmed. If you wish to opt out at any time, reply STOP.']);
    });

    it('holds a first-time writer’s text in consent mode, asks once for YES, and releases it on YES', async () => {
      const phone = '+13055550305';
      const before = received.length;
      await inbound(phone, 'Do you have the blue one in stock?').expect(200);
      await inbound(phone, 'Hello??').expect(200);
      expect(received.slice(before).filter((e) => e.body.includes('blue'))).toEqual([]);
      const requests = await settledReplies(phone, 1);
      expect(requests).toEqual(['[Auto Message] You are trying to reach Acme Alerts. In order for your message to be delivered, please reply YES to opt in to receive text messages from Acme Alerts. Msg&data rates may apply.']);
      await inbound(phone, 'YES').expect(200);
      expect((await stateOf(phone))!.conversational).toBe('opted_in');
      // The ledger entry names the request the YES answered, and what it said.
      const [entry] = await rows(
        `SELECT evidence FROM consent_event WHERE workspace_id = $1 AND phone = $2 AND message_type = 'conversational' AND state = 'opted_in'`,
        [ws.id, phone],
      );
      expect(entry.evidence).toMatchObject({ text: 'YES', requestText: '[Auto Message] You are trying to reach Acme Alerts. In order for your message to be delivered, please reply YES to opt in to receive text messages from Acme Alerts. Msg&data rates may apply.' });
      expect(entry.evidence.requestMessageId).toEqual(expect.any(String));
      await waitFor('the held text to be offered on', async () => received.some((e) => e.body === 'Do you have the blue one in stock?'));
      const held = await rows(`SELECT status FROM message WHERE workspace_id = $1 AND phone = $2 AND direction = 'inbound' ORDER BY created_at`, [ws.id, phone]);
      expect(held.map((r) => r.status)).toEqual(['received', 'received', 'received']);
      // Only one opt-in request went out although two texts were held.
      expect((await settledReplies(phone, 2)).filter((b) => b.includes('please reply YES to opt in'))).toHaveLength(1);
    });

    it("honours Twilio's OptOutType signal", async () => {
      const phone = '+13055550306';
      await inbound(phone, 'Arrêtez', { OptOutType: 'STOP' }).expect(200);
      expect((await stateOf(phone))!.marketing).toBe('opted_out');
    });

    it('answers the carrier before the listeners of sms.received are done (a slow listener never holds a webhook)', async () => {
      const phone = '+13055550308';
      const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
      await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: {} });
      let release!: () => void;
      listenerGate = new Promise((resolve) => (release = resolve));
      await inbound(phone, 'Slow listener, please').expect(200);
      // Answered while the listener still waits: nothing announced yet...
      expect(received.filter((e) => e.body === 'Slow listener, please')).toHaveLength(0);
      release();
      // ...and announced once it goes on.
      await waitFor('the slow listener to get the text', async () => received.some((e) => e.body === 'Slow listener, please'));
    });

    it('publishes sms.received with what keyword handling made of the text', async () => {
      const phone = '+13055550307';
      const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
      await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: {} });
      await inbound(phone, 'What time do you open?').expect(200);
      await inbound(phone, 'HELP').expect(200);
      // Announced after the webhook's answer (the carrier does not wait for the listeners), in order.
      const mine = await waitFor('both texts announced', async () => {
        const announced = received.filter((e) => e.contactId === contact.id);
        return announced.length === 2 ? announced : null;
      });
      expect(mine.map((e) => [e.body, e.keyword])).toEqual([
        ['What time do you open?', null],
        ['HELP', 'help'],
      ]);
    });
  });

  it('blocks at send time a message queued before the person texted STOP', async () => {
    const phone = '+13055550401';
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: {} });
    const queue = hub.get(JobQueue).queue('sms.send');
    // The worker is busy elsewhere: the message sits in the queue...
    await queue.pause(true);
    let messageId: string;
    try {
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'marketing', body: 'Weekend sale!', idempotencyKey: 'race:stop:1' });
      messageId = message.id;
      expect(message.status).toBe('queued');
      // ...when the STOP arrives.
      await inbound(phone, 'STOP').expect(200);
    } finally {
      await queue.resume(true);
    }
    const row = await settled(messageId!);
    expect(row).toMatchObject({ status: 'blocked', reason: 'opted_out' });
    expect(row.policy_trace.map((p: { policy: string; outcome: string }) => [p.policy, p.outcome])).toEqual([
      ['suppression', 'pass'],
      ['consent', 'block'],
    ]);
    // Twilio got the STOP confirmation and nothing else.
    expect(await settledReplies(phone, 1)).toEqual([expect.stringContaining('You have been unsubscribed')]);
    expect(repliesTo(phone).some((b) => b.includes('Weekend sale'))).toBe(false);
  });

  describe('sending through Twilio', () => {
    it('hands the message to Twilio with our sender and a status callback, then follows callbacks forward only', async () => {
      const phone = '+13055550501';
      const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
      await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: {} });
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'transactional', body: 'Order 1042 shipped.', idempotencyKey: 'twilio:ship:1' });
      const row = await settled(message.id);
      const [sent] = twilio.sendsTo(phone);
      expect(sent.authorized).toBe(true);
      expect(sent.params).toMatchObject({ To: phone, From: OUR_NUMBER, Body: 'Acme Alerts: Order 1042 shipped.' });
      const callbackUrl = sent.params.StatusCallback;
      expect(callbackUrl).toBe(`${PUBLIC_URL}/hooks/sms/twilio/${ws.id}/status?messageId=${message.id}`);
      expect(row).toMatchObject({ status: 'sent', provider: 'twilio', provider_message_id: sent.sid, sender: OUR_NUMBER });

      const callback = (status: string, extra: Record<string, string> = {}) => {
        const params = { ...twilioFixtureForm('status-delivered.form'), MessageSid: sent.sid!, MessageStatus: status, To: phone, AccountSid: ACCOUNT_SID, SmsStatus: status, ...extra };
        return hub
          .http()
          .post(callbackUrl.replace(PUBLIC_URL, ''))
          .type('form')
          .set('X-Twilio-Signature', twilioSignature(AUTH_TOKEN, callbackUrl, params))
          .send(params);
      };
      await callback('delivered').expect(204);
      // A late "sent" arrives after "delivered": the message does not move back.
      await callback('sent').expect(204);
      const [after] = await rows('SELECT status, delivered_at FROM message WHERE id = $1', [message.id]);
      expect(after.status).toBe('delivered');
      expect(after.delivered_at).not.toBeNull();
      // A forged callback is refused.
      const forged = { MessageSid: sent.sid!, MessageStatus: 'failed' };
      await hub.http().post(callbackUrl.replace(PUBLIC_URL, '')).type('form').set('X-Twilio-Signature', 'bm90IGEgc2lnbmF0dXJl').send(forged).expect(401);
    });

    it('records undelivered with the error code from the callback', async () => {
      const phone = '+13055550502';
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, phone, type: 'transactional', body: 'Your appointment is at 3pm.', idempotencyKey: 'twilio:undelivered:1' });
      await settled(message.id);
      const [sent] = twilio.sendsTo(phone);
      const url = `${PUBLIC_URL}/hooks/sms/twilio/${ws.id}/status`;
      // Without our messageId in the URL the message is found by Twilio's id.
      const params = { ...twilioFixtureForm('status-undelivered.form'), MessageSid: sent.sid!, To: phone, AccountSid: ACCOUNT_SID };
      await hub.http().post(`/hooks/sms/twilio/${ws.id}/status`).type('form').set('X-Twilio-Signature', twilioSignature(AUTH_TOKEN, url, params)).send(params).expect(204);
      const [row] = await rows('SELECT status, error_code FROM message WHERE id = $1', [message.id]);
      expect(row).toEqual({ status: 'undelivered', error_code: '30003' });
    });

    it('turns Twilio 21610 into an opt-out in the ledger, and 21211 into a suppression', async () => {
      const unsubscribed = '+13055550503';
      const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone: unsubscribed });
      await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: {} });
      twilio.failFor(unsubscribed, 'error-21610.json');
      const first = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'marketing', body: 'New arrivals', idempotencyKey: 'twilio:21610:1' });
      expect(await settled(first.id)).toMatchObject({ status: 'failed', reason: 'provider_opt_out', error_code: '21610' });
      expect(await stateOf(unsubscribed)).toEqual({ marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' });
      const [entry] = await rows(`SELECT source, evidence FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 ORDER BY seq DESC LIMIT 1`, [ws.id, contact.id]);
      expect(entry).toMatchObject({ source: 'provider', evidence: { providerError: '21610' } });
      // The next message is blocked by our own ledger; Twilio is not asked again.
      const callsBefore = twilio.sendsTo(unsubscribed).length;
      const second = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'marketing', body: 'More arrivals', idempotencyKey: 'twilio:21610:2' });
      expect(await settled(second.id)).toMatchObject({ status: 'blocked', reason: 'opted_out' });
      expect(twilio.sendsTo(unsubscribed)).toHaveLength(callsBefore);

      const invalid = '+13055550504';
      twilio.failFor(invalid, 'error-21211.json');
      const bad = await hub.get(SendGateway).submit({ workspaceId: ws.id, phone: invalid, type: 'transactional', body: 'Receipt', idempotencyKey: 'twilio:21211:1' });
      expect(await settled(bad.id)).toMatchObject({ status: 'failed', reason: 'invalid_number', error_code: '21211' });
      expect(await hub.get(SuppressionService).isSuppressed(ws.id, invalid)).toBe(true);
    });

    it('retries when Twilio answers 5xx, and sends once it recovers', async () => {
      const phone = '+13055550505';
      twilio.answerFor(phone, 503, { code: 20503, message: 'Service unavailable', status: 503 });
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, phone, type: 'transactional', body: 'Retry me', idempotencyKey: 'twilio:503:1' });
      await waitFor('a first refused attempt', async () => twilio.sendsTo(phone).length >= 1);
      const [{ status }] = await rows('SELECT status FROM message WHERE id = $1', [message.id]);
      expect(['queued', 'sending']).toContain(status);
      twilio.clearScript(phone);
      const row = await settled(message.id);
      expect(row.status).toBe('sent');
      expect(twilio.sendsTo(phone).filter((s) => s.sid)).toHaveLength(1);
    }, 20_000);
  });

  it('answers keyword replies inside the TwiML response when the workspace prefers synchronous replies', async () => {
    const sync = await hub.createWorkspace({ name: 'Sync', brandName: 'SyncCo' });
    await useTwilio(sync, { replyInTwiml: true });
    const phone = '+13055550601';
    const res = await inbound(phone, 'HELP', {}, sync).expect(200);
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>SyncCo: Help at help@acme.test. Msg&amp;data rates may apply. Reply STOP to cancel.</Message></Response>');
    const [reply] = await rows(`SELECT status, provider FROM message WHERE workspace_id = $1 AND direction = 'outbound'`, [sync.id]);
    expect(reply).toEqual({ status: 'sent', provider: 'twiml' });
    expect(twilio.sendsTo(phone)).toHaveLength(0);
  });
});

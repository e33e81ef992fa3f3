import { createHmac } from 'node:crypto';
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { TwilioFake, twilioFixtureForm, twilioSignature } from '../fakes/twilio-fake';

const MIDDAY = new Date('2026-11-20T17:00:00Z');
const ACCOUNT_SID = 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c';
const AUTH_TOKEN = '5a1b2c3d4e5f60718293a4b5c6d7e8f9';
const SECRET = 'carrier-signing-secret-0123456789';
const PUBLIC_URL = 'https://hub.optline.test';

/** The http provider's documented signature, computed independently of the hub's code. */
const signHttp = (timestamp: number, body: string) => `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;

/** Client mistakes answer a clear 4xx naming the problem, never a 500 (law 7). */
describe('client mistakes answer 4xx', () => {
  let hub: TestHub;
  let twilio: TwilioFake;
  let carrier: Server;
  let twilioWs: TestWorkspace;
  let httpWs: TestWorkspace;
  let sid = 0;

  const twilioPath = () => `/hooks/sms/twilio/${twilioWs.id}`;
  function twilioInbound(extra: Record<string, string>) {
    const params: Record<string, string> = { ...twilioFixtureForm('inbound-stop.form'), From: '+13055550148', Body: 'hello', MessageSid: `SM${String(++sid).padStart(32, '0')}`, ...extra };
    delete params.OptOutType;
    return hub.http().post(twilioPath()).type('form').set('X-Twilio-Signature', twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${twilioPath()}`, params)).send(params);
  }
  function httpInbound(raw: string) {
    const ts = Math.floor(MIDDAY.getTime() / 1000);
    return hub.http().post(`/hooks/sms/http/${httpWs.id}`).set('Content-Type', 'application/json').set('X-Optline-Timestamp', String(ts)).set('X-Optline-Signature', signHttp(ts, raw)).send(raw);
  }

  /** A POST sent byte for byte (supertest re-encodes a compressed body). */
  async function rawPost(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
    const server = hub.app.getHttpServer();
    if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    return new Promise((done, fail) => {
      const req = request({ port, host: '127.0.0.1', path, method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode!, body: text ? JSON.parse(text) : {} }));
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  beforeAll(async () => {
    twilio = await TwilioFake.start(ACCOUNT_SID, AUTH_TOKEN);
    carrier = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: `carrier-${Date.now()}` })));
    });
    await new Promise<void>((done) => carrier.listen(0, '127.0.0.1', done));
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
    twilioWs = await hub.createWorkspace();
    await hub.http().put('/v1/sms-provider').set('Authorization', await twilioWs.auth()).send({ kind: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', apiBaseUrl: twilio.url }).expect(200);
    httpWs = await hub.createWorkspace();
    const carrierUrl = `http://127.0.0.1:${(carrier.address() as AddressInfo).port}`;
    await hub.http().put('/v1/sms-provider').set('Authorization', await httpWs.auth()).send({ kind: 'http', url: carrierUrl, signingSecret: SECRET, from: '+15005550006' }).expect(200);
  });
  afterAll(async () => {
    await hub.close();
    await twilio.close();
    await new Promise((done) => carrier.close(done));
  });

  const inboundCount = async (workspaceId: string) => Number((await hub.dataSource.query(`SELECT count(*) FROM message WHERE workspace_id = $1 AND direction = 'inbound'`, [workspaceId]))[0].count);

  describe('NUL characters (one rule for every edge: 422 unprocessable_payload naming the field)', () => {
    it('in a signed Twilio inbound form', async () => {
      const res = await twilioInbound({ Body: 'hello\u0000there' }).expect(422);
      expect(res.body).toMatchObject({ code: 'unprocessable_payload', details: [{ field: 'Body' }] });
      expect(await inboundCount(twilioWs.id)).toBe(0);
    });

    it('in a signed http-provider inbound body', async () => {
      const res = await httpInbound(JSON.stringify({ id: 'c-nul', from: '+13125550302', body: 'a\u0000b' })).expect(422);
      expect(res.body).toMatchObject({ code: 'unprocessable_payload', details: [{ field: 'body' }] });
      expect(await inboundCount(httpWs.id)).toBe(0);
    });

    it('in a query parameter: GET /v1/contacts?q=%00', async () => {
      const res = await hub.http().get('/v1/contacts?q=%00').set('Authorization', await twilioWs.auth()).expect(422);
      expect(res.body).toMatchObject({ code: 'unprocessable_payload', details: [{ field: 'q' }] });
    });

    it('an unpaired surrogate ("\\ud800") is refused the same way (validators threw on it: 500)', async () => {
      const auth = await twilioWs.auth();
      const invite = await hub.http().post('/v1/invitations').set('Authorization', auth).set('Content-Type', 'application/json').send('{"email":"\\ud800","role":"support"}').expect(422);
      expect(invite.body).toMatchObject({ code: 'unprocessable_payload', details: [{ field: 'email' }] });
      const query = await hub.http().get('/v1/contacts?q=%ED%A0%80').set('Authorization', auth);
      expect(query.status).toBeLessThan(500);
      // A surrogate pair (an emoji) is text like any other.
      await hub.http().post('/v1/contacts').set('Authorization', auth).set('Content-Type', 'application/json').send('{"phone":"+13125550130","firstName":"\\ud83d\\ude00"}').expect(201);
    });

    it('in a JSON body validated by a DTO', async () => {
      const res = await hub.http().post('/v1/contacts').set('Authorization', await twilioWs.auth()).send({ phone: '+13125550199', firstName: 'A\u0000' }).expect(422);
      expect(res.body).toMatchObject({ code: 'unprocessable_payload', details: [{ field: 'firstName' }] });
    });
  });

  describe('Twilio inbound size', () => {
    it('refuses a Body longer than the 1,600 characters Twilio ever sends, naming Body', async () => {
      const res = await twilioInbound({ Body: 'x'.repeat(1601) }).expect(422);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'Body' })]);
      await twilioInbound({ Body: 'y'.repeat(1600) }).expect(200);
    });

    it('refuses a 200,000-character form with 413 before anything else', async () => {
      const res = await twilioInbound({ Body: 'x'.repeat(200_000) }).expect(413);
      expect(res.body.code).toBe('payload_too_large');
    });
  });

  describe('bodies the parsers refuse', () => {
    const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

    it('JSON nested 5,000 deep on an inbound hook and an API route: 400 body_too_deep', async () => {
      const raw = `{"id":"c-deep","from":"+13125550302","body":"x","extra":${deep(5000)}}`;
      const hook = await httpInbound(raw).expect(400);
      expect(hook.body).toMatchObject({ code: 'body_too_deep', message: expect.stringContaining('64') });
      const api = await hub.http().post('/v1/contacts').set('Authorization', await twilioWs.auth()).set('Content-Type', 'application/json').send(deepObject(5000)).expect(400);
      expect(api.body.code).toBe('body_too_deep');
      // Brackets inside strings are text, not nesting.
      await httpInbound(JSON.stringify({ id: 'c-brackets', from: '+13125550302', body: '['.repeat(1000) })).expect(200);
    });

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const)('a body with Content-Encoding: %s that does not inflate: 400 naming the encoding; a valid one is accepted', async (encoding, compress) => {
      const headers = { authorization: await twilioWs.auth(), 'content-type': 'application/json', 'content-encoding': encoding };
      const bad = await rawPost('/v1/contacts', headers, Buffer.from('{"phone":"+13125550100"} not compressed'));
      expect([bad.status, bad.body]).toEqual([400, expect.objectContaining({ code: 'malformed_body', message: `The request body is not valid ${encoding} data` })]);
      const phone = { gzip: '+13125550111', deflate: '+13125550112', br: '+13125550113' }[encoding];
      const ok = await rawPost('/v1/contacts', headers, compress(Buffer.from(JSON.stringify({ phone }))));
      expect([ok.status, ok.body.phone]).toEqual([201, phone]);
    });

    it('an unsupported Content-Encoding: 415 naming it', async () => {
      const res = await rawPost('/v1/contacts', { authorization: await twilioWs.auth(), 'content-type': 'application/json', 'content-encoding': 'compress' }, Buffer.from('{"phone":"+13125550100"}'));
      expect([res.status, res.body]).toEqual([415, expect.objectContaining({ code: 'unsupported_content_encoding', message: expect.stringContaining('"compress"') })]);
    });
  });

  describe('values beyond sane limits', () => {
    it('a contact with 20,000 attributes, or one oversized key or value: 400 naming attributes', async () => {
      const auth = await twilioWs.auth();
      const many = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
      const res = await hub.http().post('/v1/contacts').set('Authorization', auth).send({ phone: '+13125550120', attributes: many }).expect(400);
      expect(res.body.details).toEqual([{ field: 'attributes', message: 'attributes may hold at most 100 keys (got 20000)' }]);
      const longKey = await hub.http().post('/v1/contacts').set('Authorization', auth).send({ phone: '+13125550120', attributes: { ['k'.repeat(65)]: 1 } }).expect(400);
      expect(longKey.body.details[0].field).toBe('attributes');
      const bigValue = await hub.http().post('/v1/contacts').set('Authorization', auth).send({ phone: '+13125550120', attributes: { note: 'x'.repeat(1001) } }).expect(400);
      expect(bigValue.body.details[0].message).toContain('attributes.note must be at most 1000 characters');

      // 100 is accepted; a PATCH that would take the contact past 100 is refused.
      const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
      const created = await hub.http().post('/v1/contacts').set('Authorization', auth).send({ phone: '+13125550120', attributes: hundred }).expect(201);
      const patch = await hub.http().patch(`/v1/contacts/${created.body.id}`).set('Authorization', auth).send({ attributes: { one: 'more' } }).expect(422);
      expect(patch.body.details).toEqual([expect.objectContaining({ field: 'attributes' })]);
      await hub.http().patch(`/v1/contacts/${created.body.id}`).set('Authorization', auth).send({ attributes: { k0: null, one: 'more' } }).expect(200);
    });

    it('workspace settings that always have a value refuse null, naming each field (defaultCountry: null was a 500)', async () => {
      const auth = await httpWs.auth();
      const res = await hub.http().patch('/v1/workspace').set('Authorization', auth).send({ defaultCountry: null, optOutFooter: null, maxSegments: null }).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['defaultCountry', 'maxSegments', 'optOutFooter']);
      const cleared = await hub.http().patch('/v1/workspace').set('Authorization', auth).send({ supportEmail: null, frequencyCap: null }).expect(200);
      expect(cleared.body).toMatchObject({ supportEmail: null, defaultCountry: 'US', optOutFooter: 'Reply STOP to opt out.', frequencyCap: { count: 3 } });
    });

    it('a message notBefore in the year 275760: 400 naming notBefore', async () => {
      const res = await hub.http().post('/v1/messages').set('Authorization', await twilioWs.auth()).set('Idempotency-Key', 'far-future').send({ to: '+13125550121', type: 'transactional', body: 'hi', notBefore: '+275760-09-13T00:00:00.000Z' }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'notBefore', message: 'notBefore must be a date between 2000-01-01 and 10 years from now' })]);
      const old = await hub.http().get('/v1/messages?since=0001-01-01T00:00:00Z').set('Authorization', await twilioWs.auth()).expect(400);
      expect(old.body.details[0].field).toBe('since');
    });

    it('a flow wait of P99999999999Y is refused at validation naming the step, so the flow never activates', async () => {
      const auth = await twilioWs.auth();
      const doc = {
        name: 'Forever',
        messageType: 'marketing',
        trigger: { events: ['checkout.updated'], correlationKey: 'checkoutToken' },
        reentry: { mode: 'never' },
        steps: [
          { id: 'wait-forever', type: 'wait', duration: 'P99999999999Y' },
          { id: 'nudge', type: 'send', template: '{{ workspace.brandName }}: your cart is waiting. Reply STOP to opt out.' },
        ],
      };
      const res = await hub.http().post('/v1/flows').set('Authorization', auth).send(doc);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'steps[0].duration', message: expect.stringContaining('step "wait-forever"') })]);
      expect(res.body.details[0].message).toContain('at most P2Y');
      const ok = await hub.http().post('/v1/flows').set('Authorization', auth).send({ ...doc, steps: [{ ...doc.steps[0], duration: 'P2Y' }, doc.steps[1]] }).expect(201);

      // The simulator's virtual moments are bounded the same way.
      const simulated = await hub.http().post(`/v1/flows/${ok.body.id}/simulate`).set('Authorization', auth).send({ replies: [{ after: 'P99999999999Y', body: 'YES' }] }).expect(400);
      expect(simulated.body.details).toEqual([expect.objectContaining({ field: 'replies[0].after', message: 'after must be at most P2Y after the start' })]);
    });
  });
});

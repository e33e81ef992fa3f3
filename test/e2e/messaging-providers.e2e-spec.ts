import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ConsentService, SuppressionService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { SendGateway } from '@optline/messaging';
import { Webhook } from 'standardwebhooks';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

const MIDDAY = new Date('2026-11-20T17:00:00Z');
const SECRET = 'carrier-signing-secret-0123456789';

/** The documented signature of the http provider, computed independently of the hub's code. */
function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface CarrierCall {
  at: number;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  json: { messageId: string; to: string; from: string | null; body: string; statusCallbackUrl: string };
}

/** A carrier speaking the http provider's contract: signed JSON in, `{ id }` out. */
async function startCarrier(): Promise<{ server: Server; url: string; calls: CarrierCall[]; failWith: Map<string, { status: number; body: unknown }> }> {
  const calls: CarrierCall[] = [];
  const failWith = new Map<string, { status: number; body: unknown }>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const json = JSON.parse(raw);
    calls.push({ at: Date.now(), headers: req.headers, raw, json });
    const scripted = failWith.get(json.to);
    res.writeHead(scripted?.status ?? 202, { 'content-type': 'application/json' });
    res.end(JSON.stringify(scripted?.body ?? { id: `carrier-${calls.length}` }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, calls, failWith };
}

describe('SMS providers: per-workspace configuration, the http provider, throughput', () => {
  let hub: TestHub;
  let carrier: Awaited<ReturnType<typeof startCarrier>>;

  const settled = (id: string) =>
    waitFor(`message ${id} to leave the queue`, async () => {
      const [row] = await hub.dataSource.query('SELECT * FROM message WHERE id = $1', [id]);
      return row && !['queued', 'sending'].includes(row.status) ? (row as Record<string, any>) : null;
    });
  const optedIn = async (ws: TestWorkspace, phone: string) => {
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: {} });
    return contact;
  };

  beforeAll(async () => {
    carrier = await startCarrier();
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
  });
  afterAll(async () => {
    await hub.close();
    await new Promise((done) => carrier.server.close(done));
  });

  describe('PUT /v1/sms-provider', () => {
    it('defaults to the console provider', async () => {
      const ws = await hub.createWorkspace();
      const res = await hub.http().get('/v1/sms-provider').set('Authorization', await ws.auth('support')).expect(200);
      expect(res.body).toMatchObject({ kind: 'console', inboundUrl: null, statusCallbackUrl: null, updatedAt: null });
    });

    it('stores Twilio credentials sealed, answers them masked, and shows the URLs to paste into Twilio', async () => {
      const ws = await hub.createWorkspace();
      const token = 'f00dfeedf00dfeedf00dfeedcafe1234';
      const res = await hub
        .http()
        .put('/v1/sms-provider')
        .set('Authorization', await ws.auth())
        .send({ kind: 'twilio', accountSid: 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c', authToken: token, from: '+15005550006', messagesPerSecond: 1 })
        .expect(200);
      expect(res.body).toMatchObject({
        kind: 'twilio',
        settings: { accountSid: 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c', from: '+15005550006', messagesPerSecond: 1 },
        secrets: { authToken: '••••1234', signingSecret: null },
        inboundUrl: `https://hub.optline.test/hooks/sms/twilio/${ws.id}`,
        statusCallbackUrl: `https://hub.optline.test/hooks/sms/twilio/${ws.id}/status`,
      });
      expect(JSON.stringify(res.body)).not.toContain(token);
      const [row] = await hub.dataSource.query('SELECT settings, secrets FROM sms_provider_config WHERE workspace_id = $1', [ws.id]);
      expect(JSON.stringify(row)).not.toContain(token);
      expect(row.secrets).toEqual({ keyId: expect.any(String), iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });

      // Changing a setting without resending the token keeps the token.
      const again = await hub.http().put('/v1/sms-provider').set('Authorization', await ws.auth()).send({ kind: 'twilio', accountSid: 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c', from: '+15005550007' }).expect(200);
      expect(again.body.secrets.authToken).toBe('••••1234');
    });

    it('names the missing or malformed field', async () => {
      const ws = await hub.createWorkspace();
      const auth = await ws.auth();
      const bad = await hub.http().put('/v1/sms-provider').set('Authorization', auth).send({ kind: 'twilio', accountSid: 'nope', from: '12' }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['accountSid', 'from']));
      const noToken = await hub.http().put('/v1/sms-provider').set('Authorization', auth).send({ kind: 'twilio', accountSid: 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c', from: '+15005550006' }).expect(422);
      expect(noToken.body.details[0].field).toBe('authToken');
      const noSender = await hub.http().put('/v1/sms-provider').set('Authorization', auth).send({ kind: 'twilio', accountSid: 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c', authToken: 'abcdefgh12' }).expect(422);
      expect(noSender.body.details[0].field).toBe('from');
      const http = await hub.http().put('/v1/sms-provider').set('Authorization', auth).send({ kind: 'http' }).expect(400);
      expect(http.body.details[0].field).toBe('url');
      await hub.http().put('/v1/sms-provider').set('Authorization', auth).send({ kind: 'pigeon' }).expect(400);
    });

    it('is for admins only', async () => {
      const ws = await hub.createWorkspace();
      const res = await hub.http().put('/v1/sms-provider').set('Authorization', await ws.auth('marketing')).send({ kind: 'null' }).expect(403);
      expect(res.body.code).toBe('permission_denied');
    });
  });

  describe('the http provider', () => {
    let ws: TestWorkspace;

    beforeAll(async () => {
      ws = await hub.createWorkspace();
      await hub.http().put('/v1/sms-provider').set('Authorization', await ws.auth()).send({ kind: 'http', url: carrier.url, signingSecret: SECRET, from: '+15005550006', messagesPerSecond: 2 }).expect(200);
    });

    it('POSTs signed JSON to the carrier and follows its signed delivery reports', async () => {
      const contact = await optedIn(ws, '+13125550301');
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'transactional', body: 'Order shipped', idempotencyKey: 'http:1' });
      const row = await settled(message.id);
      expect(row).toMatchObject({ status: 'sent', provider: 'http' });
      const call = carrier.calls.find((c) => c.json.messageId === message.id)!;
      expect(call.json).toMatchObject({ to: '+13125550301', from: '+15005550006', body: 'Acme Alerts: Order shipped' });
      const timestamp = Number(call.headers['x-optline-timestamp']);
      expect(timestamp).toBe(Math.floor(MIDDAY.getTime() / 1000));
      expect(call.headers['x-optline-signature']).toBe(sign(SECRET, timestamp, call.raw));
      // Standard Webhooks beside the old pair: the carrier's library verifies it (a secret not in whsec_ form is raw bytes).
      expect(call.headers['webhook-id']).toBe(message.id);
      const carrierClock = jest.spyOn(Date, 'now').mockReturnValue(MIDDAY.getTime());
      try {
        expect(() => new Webhook(Buffer.from(SECRET), { format: 'raw' }).verify(call.raw, call.headers as Record<string, string>)).not.toThrow();
      } finally {
        carrierClock.mockRestore();
      }
      expect(row.provider_message_id).toBe(`carrier-${carrier.calls.indexOf(call) + 1}`);

      const report = JSON.stringify({ id: row.provider_message_id, status: 'delivered' });
      const path = call.json.statusCallbackUrl.replace('https://hub.optline.test', '');
      await hub.http().post(path).set('Content-Type', 'application/json').set('X-Optline-Timestamp', String(timestamp)).set('X-Optline-Signature', sign(SECRET, timestamp, report)).send(report).expect(204);
      const [after] = await hub.dataSource.query('SELECT status FROM message WHERE id = $1', [message.id]);
      expect(after.status).toBe('delivered');
      // Unsigned, or signed with an old timestamp: 401.
      await hub.http().post(path).set('Content-Type', 'application/json').send(report).expect(401);
      const stale = timestamp - 3600;
      await hub.http().post(path).set('Content-Type', 'application/json').set('X-Optline-Timestamp', String(stale)).set('X-Optline-Signature', sign(SECRET, stale, report)).send(report).expect(401);
    });

    it('takes delivery reports signed by the carrier with the Standard Webhooks library', async () => {
      const contact = await optedIn(ws, '+13125550304');
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, contactId: contact.id, type: 'transactional', body: 'Order packed', idempotencyKey: 'http:standard' });
      const row = await settled(message.id);
      const call = carrier.calls.find((c) => c.json.messageId === message.id)!;
      const path = call.json.statusCallbackUrl.replace('https://hub.optline.test', '');
      const report = JSON.stringify({ id: row.provider_message_id, status: 'delivered' });
      const signer = new Webhook(Buffer.from(SECRET), { format: 'raw' });
      const headers = { 'webhook-id': 'report-1', 'webhook-timestamp': String(Math.floor(MIDDAY.getTime() / 1000)), 'webhook-signature': signer.sign('report-1', MIDDAY, report) };
      const forged = { ...headers, 'webhook-signature': new Webhook(Buffer.from('another-secret-entirely'), { format: 'raw' }).sign('report-1', MIDDAY, report) };
      const refused = await hub.http().post(path).set('Content-Type', 'application/json').set(forged).send(report).expect(401);
      expect(refused.body.code).toBe('invalid_signature');
      await hub.http().post(path).set('Content-Type', 'application/json').set(headers).send(report).expect(204);
      const [after] = await hub.dataSource.query('SELECT status FROM message WHERE id = $1', [message.id]);
      expect(after.status).toBe('delivered');
    });

    it('receives signed inbound JSON and handles keywords through the same path as Twilio', async () => {
      await optedIn(ws, '+13125550302');
      const body = JSON.stringify({ id: 'carrier-in-1', from: '+13125550302', to: '+15005550006', body: 'stop' });
      const ts = Math.floor(MIDDAY.getTime() / 1000);
      const res = await hub.http().post(`/hooks/sms/http/${ws.id}`).set('Content-Type', 'application/json').set('X-Optline-Timestamp', String(ts)).set('X-Optline-Signature', sign(SECRET, ts, body)).send(body).expect(200);
      expect(res.body).toMatchObject({ duplicate: false, keyword: 'stop', replies: [{ status: 'queued' }] });
      const contact = await hub.get(ContactService).findByPhone(ws.id, '+13125550302');
      expect((await hub.get(ConsentService).statesFor(ws.id, [contact!.id])).get(contact!.id)!.marketing).toBe('opted_out');
      await waitFor('the STOP confirmation at the carrier', async () => carrier.calls.some((c) => c.json.to === '+13125550302' && c.json.messageId === res.body.replies[0].id));
      // A malformed but signed body names the field; an unsigned one learns nothing.
      const bad = JSON.stringify({ id: 'carrier-in-2', body: 'hi' });
      const malformed = await hub.http().post(`/hooks/sms/http/${ws.id}`).set('Content-Type', 'application/json').set('X-Optline-Timestamp', String(ts)).set('X-Optline-Signature', sign(SECRET, ts, bad)).send(bad).expect(422);
      expect(malformed.body.details[0].field).toBe('from');
      await hub.http().post(`/hooks/sms/http/${ws.id}`).set('Content-Type', 'application/json').send(bad).expect(401);
    });

    it('suppresses a number the carrier calls invalid', async () => {
      carrier.failWith.set('+13125550303', { status: 400, body: { code: 'invalid_number', message: 'landline' } });
      const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, phone: '+13125550303', type: 'transactional', body: 'Receipt', idempotencyKey: 'http:invalid' });
      expect(await settled(message.id)).toMatchObject({ status: 'failed', reason: 'invalid_number' });
      expect(await hub.get(SuppressionService).isSuppressed(ws.id, '+13125550303')).toBe(true);
    });

    it('keeps the sender under its rate: never more than 2 messages in one second', async () => {
      const contacts = await Promise.all(Array.from({ length: 6 }, (_, i) => optedIn(ws, `+1312555040${i}`)));
      const before = carrier.calls.length;
      const messages = await hub.get(SendGateway).submitMany(
        contacts.map((c, i) => ({ workspaceId: ws.id, contactId: c.id, type: 'transactional' as const, body: `Burst ${i}`, idempotencyKey: `burst:${i}` })),
      );
      await Promise.all(messages.map((m) => settled(m.id)));
      const burst = carrier.calls.slice(before).filter((c) => c.json.body.includes('Burst'));
      expect(burst).toHaveLength(6);
      const perSecond = new Map<number, number>();
      for (const call of burst) perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1);
      expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2);
      expect(perSecond.size).toBeGreaterThanOrEqual(3);
    }, 20_000);
  });

  it('the null provider accepts and forgets (for benchmarks)', async () => {
    const ws = await hub.createWorkspace();
    await hub.http().put('/v1/sms-provider').set('Authorization', await ws.auth()).send({ kind: 'null' }).expect(200);
    const message = await hub.get(SendGateway).submit({ workspaceId: ws.id, phone: '+13125550501', type: 'transactional', body: 'Into the void', idempotencyKey: 'null:1' });
    expect(await settled(message.id)).toMatchObject({ status: 'sent', provider: 'null', provider_message_id: expect.stringMatching(/^null-/) });
  });
});

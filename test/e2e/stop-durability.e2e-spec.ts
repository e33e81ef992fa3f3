import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { SendGateway } from '@optline/messaging';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/** Inside every quiet-hours window of the numbers used here. */
const MIDDAY = new Date('2026-11-20T17:00:00Z');
const SECRET = 'carrier-signing-secret-stop-durability';

/** A carrier speaking the http provider's contract: it keeps every text it is handed. */
async function startCarrier(): Promise<{ server: Server; url: string; calls: { at: number; json: { messageId: string; to: string; body: string } }[] }> {
  const calls: { at: number; json: { messageId: string; to: string; body: string } }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    calls.push({ at: Date.now(), json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `carrier-${calls.length}` }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, calls };
}

/**
 * A STOP whose processing died half-way (the database went away after the inbound text was
 * stored) must still become an opt-out before any retry of its webhook is answered 2xx — and
 * before another text is handed to that person.
 */
describe('a STOP interrupted after its text was stored (law 2 through a crash)', () => {
  let hub: TestHub;
  let carrier: Awaited<ReturnType<typeof startCarrier>>;

  const webhook = (ws: TestWorkspace, sms: { id: string; from: string; body: string }) => {
    const body = JSON.stringify({ ...sms, to: '+15005550006' });
    const ts = Math.floor(hub.clock.nowMs() / 1000);
    const signature = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
    return hub.http().post(`/hooks/sms/http/${ws.id}`).set('Content-Type', 'application/json').set('X-Optline-Timestamp', String(ts)).set('X-Optline-Signature', signature).send(body);
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

  /** Runs `during` while inserts into `table` of this workspace matching `condition` fail once (a lost connection). */
  async function failingOnce(ws: TestWorkspace, table: 'consent_event' | 'message', condition: string, during: () => Promise<void>): Promise<void> {
    const fn = `fail_once_${table}_${ws.id.replace(/-/g, '')}`;
    await hub.dataSource.query(`CREATE TABLE ${fn}_done (x int)`);
    await hub.dataSource.query(`
      CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.workspace_id = '${ws.id}' AND ${condition} AND NOT EXISTS (SELECT 1 FROM ${fn}_done) THEN
          INSERT INTO ${fn}_done VALUES (1);
          RAISE EXCEPTION 'connection lost (simulated)';
        END IF;
        RETURN NEW;
      END $$`);
    await hub.dataSource.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      await during();
    } finally {
      await hub.dataSource.query(`DROP TRIGGER ${fn} ON ${table}`);
      await hub.dataSource.query(`DROP FUNCTION ${fn}()`);
      await hub.dataSource.query(`DROP TABLE ${fn}_done`);
    }
  }

  const optedInContact = async (ws: TestWorkspace, phone: string) => {
    await hub.http().put('/v1/sms-provider').set('Authorization', await ws.auth()).send({ kind: 'http', url: carrier.url, signingSecret: SECRET, from: '+15005550006', messagesPerSecond: 20 }).expect(200);
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'test' } });
    return contact;
  };

  it('records the opt-out when the carrier retries the webhook, answers 2xx only then, and hands no campaign text to that person', async () => {
    const ws = await hub.createWorkspace();
    const phone = '+13125557701';
    const contact = await optedInContact(ws, phone);

    // The database fails the opt-out's ledger write once — as a Postgres crash right after the
    // inbound text was stored cuts the STOP's connection. The carrier sees an error and retries.
    await failingOnce(ws, 'consent_event', `NEW.state = 'opted_out'`, async () => {
      const first = await webhook(ws, { id: 'carrier-stop-1', from: phone, body: 'STOP' });
      expect(first.status).toBeGreaterThanOrEqual(500);
    });

    // The carrier retries the same text (same id): answered 2xx...
    const retry = await webhook(ws, { id: 'carrier-stop-1', from: phone, body: 'STOP' });
    expect(retry.status).toBe(200);
    const answeredAt = Date.now();
    // ...and by then the person is opted out in the ledger, because of this text.
    const entries: { state: string; evidence: Record<string, unknown> }[] = await hub.dataSource.query(
      `SELECT state, evidence FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 AND kind = 'consent' AND state = 'opted_out'`,
      [ws.id, contact.id],
    );
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.evidence.keyword === 'stop')).toBe(true);
    expect(await hub.get(ConsentService).stateOf(ws.id, contact.id, 'marketing')).toBe('opted_out');

    // A campaign text to that person is blocked, never handed to the carrier.
    const [offer] = await hub.get(SendGateway).submitMany([{ workspaceId: ws.id, contactId: contact.id, type: 'marketing', body: 'Weekend sale: 20% off.', idempotencyKey: `offer:${contact.id}` }]);
    const row = await waitFor('the offer to be decided', async () => {
      const [r] = await hub.dataSource.query('SELECT status, reason FROM message WHERE id = $1', [offer.id]);
      return r && !['queued', 'sending', 'deferred'].includes(r.status) ? r : null;
    });
    expect(row).toMatchObject({ status: 'blocked', reason: 'opted_out' });
    // The STOP is confirmed once, and nothing else reaches that number after the answer.
    const confirmation = await waitFor('the STOP confirmation at the carrier', async () => carrier.calls.find((c) => c.json.to === phone));
    expect(carrier.calls.filter((c) => c.json.to === phone)).toHaveLength(1);
    expect(confirmation.json.messageId).not.toBe(offer.id);
    expect(carrier.calls.filter((c) => c.json.to === phone && c.json.messageId === offer.id && c.at > answeredAt)).toHaveLength(0);
  }, 60_000);

  it('never leaves a STOP opted out without its confirmation: the confirmation is stored in the same transaction (decision 0268)', async () => {
    const ws = await hub.createWorkspace();
    const phone = '+13125557702';
    const contact = await optedInContact(ws, phone);

    // Storing the confirmation fails once. Had the opt-out committed on its own, the carrier's
    // retry would find the STOP stored and answer it as a duplicate: opted out, never confirmed.
    await failingOnce(ws, 'message', `NEW.origin->>'systemKind' = 'stop_confirmation'`, async () => {
      const first = await webhook(ws, { id: 'carrier-stop-2', from: phone, body: 'STOP' });
      expect(first.status).toBeGreaterThanOrEqual(500);
    });
    // Nothing of that STOP was kept: neither the text nor the opt-out.
    const [kept] = await hub.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE workspace_id = $1 AND direction = 'inbound'`, [ws.id]);
    expect(kept.n).toBe(0);
    expect(await hub.get(ConsentService).stateOf(ws.id, contact.id, 'marketing')).toBe('opted_in');

    const retry = await webhook(ws, { id: 'carrier-stop-2', from: phone, body: 'STOP' });
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(false);
    expect(retry.body.replies).toEqual([{ id: expect.any(String), status: 'queued' }]);
    expect(await hub.get(ConsentService).stateOf(ws.id, contact.id, 'marketing')).toBe('opted_out');
    const confirmation = await waitFor('the STOP confirmation at the carrier', async () => carrier.calls.find((c) => c.json.to === phone));
    expect(confirmation.json.messageId).toBe(retry.body.replies[0].id);
    expect(carrier.calls.filter((c) => c.json.to === phone)).toHaveLength(1);
  }, 60_000);
});

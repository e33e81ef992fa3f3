import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ConsentService, SendingLocks, SuppressionService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { AppConfig, JobQueue } from '@optline/core';
import { SendDispatcher, SendGateway } from '@optline/messaging';
import { ThroughputLimiter } from '../../libs/messaging/src/providers/throughput-limiter';
import type { EntityManager } from 'typeorm';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/** Inside every quiet-hours window of the numbers used here. */
const MIDDAY = new Date('2026-11-20T17:00:00Z');
const SECRET = 'carrier-signing-secret-last-check-01';

interface CarrierCall {
  /** When the carrier received the call (machine time). */
  at: number;
  json: { messageId: string; to: string; body: string };
}

/** A carrier speaking the http provider's contract: it keeps every text it is handed, with the time. */
async function startCarrier(): Promise<{ server: Server; url: string; calls: CarrierCall[]; slowFor: Map<string, number>; dropFor: Set<string> }> {
  const calls: CarrierCall[] = [];
  /** Numbers whose texts the carrier answers only after this many ms (it has them from the start). */
  const slowFor = new Map<string, number>();
  /** Numbers whose texts the carrier takes, then drops the connection without answering. */
  const dropFor = new Set<string>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    calls.push({ at: Date.now(), json });
    if (dropFor.has(json.to)) {
      req.socket.destroy();
      return;
    }
    const slow = slowFor.get(json.to);
    if (slow) await new Promise((resolve) => setTimeout(resolve, slow));
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `carrier-${calls.length}` }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, calls, slowFor, dropFor };
}

/** Blocks this process (the hub runs in it) for `ms`: nothing else runs meanwhile, timers pile up. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

/** The most texts found in any one-second window of `times`. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let n = 0;
    while (i + n < sorted.length && sorted[i + n] < sorted[i] + 1000) n++;
    most = Math.max(most, n);
  }
  return most;
}

describe('the last check before the hand-off (law 2): opt-outs while a throttled campaign sends', () => {
  let hub: TestHub;
  let carrier: Awaited<ReturnType<typeof startCarrier>>;
  let phoneSeq = 0;

  const messageRow = async (id: string) => (await hub.dataSource.query('SELECT * FROM message WHERE id = $1', [id]))[0] as Record<string, any>;
  const settled = (id: string) =>
    waitFor(
      `message ${id} to leave the queue`,
      async () => {
        const row = await messageRow(id);
        return row && !['queued', 'sending', 'deferred'].includes(row.status) ? row : null;
      },
      30_000,
    );
  const workspaceAt = async (messagesPerSecond: number) => {
    const ws = await hub.createWorkspace();
    await hub.http().put('/v1/sms-provider').set('Authorization', await ws.auth()).send({ kind: 'http', url: carrier.url, signingSecret: SECRET, from: '+15005550006', messagesPerSecond }).expect(200);
    return ws;
  };
  const optedIn = async (ws: TestWorkspace, count: number) =>
    Promise.all(
      Array.from({ length: count }, async () => {
        const phone = `+1312556${String(1000 + phoneSeq++).padStart(4, '0')}`;
        const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
        await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'test' } });
        return contact;
      }),
    );
  const campaign = (ws: TestWorkspace, contacts: { id: string }[], tag: string) =>
    hub.get(SendGateway).submitMany(
      contacts.map((c, i) => ({ workspaceId: ws.id, contactId: c.id, type: 'marketing' as const, body: `${tag} sale ${i}: 20% off today.`, idempotencyKey: `campaign:${tag}:${c.id}` })),
    );
  /** A STOP through the real inbound webhook of the http provider, signed as the carrier signs it. */
  const textStop = async (ws: TestWorkspace, from: string, id: string) => {
    const body = JSON.stringify({ id, from, to: '+15005550006', body: 'STOP' });
    const ts = Math.floor(hub.clock.nowMs() / 1000);
    const signature = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
    const res = await hub.http().post(`/hooks/sms/http/${ws.id}`).set('Content-Type', 'application/json').set('X-Optline-Timestamp', String(ts)).set('X-Optline-Signature', signature).send(body).expect(200);
    return { answeredAt: Date.now(), replies: res.body.replies as { id: string }[] };
  };

  /**
   * Runs `begin` in a transaction that then stays open for `ms` before it commits (a writer that
   * holds its locks); `begin` may return a function called right before the commit.
   */
  const holdingTransaction = async (ms: number, begin: (manager: EntityManager) => Promise<unknown>) => {
    const writer = hub.dataSource.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      const beforeCommit = await begin(writer.manager);
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (typeof beforeCommit === 'function') beforeCommit();
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
  };

  beforeAll(async () => {
    carrier = await startCarrier();
    // A production-sized pool (10 per process, several workers): claims that stall are not
    // limited by a small pool to a few at a time.
    hub = await TestHub.start({ env: { DATABASE_POOL_SIZE: '20' } });
    hub.manualClock.set(MIDDAY);
  });
  afterAll(async () => {
    await hub.close();
    await new Promise((done) => carrier.server.close(done));
  });

  it('blocks a message decided before its person opted out while it waited for a rate slot; it never reaches the carrier', async () => {
    const ws = await workspaceAt(1);
    const contacts = await optedIn(ws, 4);
    const messages = await campaign(ws, contacts, 'held');
    // The first text at the carrier means the batch was decided: all four passed every policy.
    await waitFor('the first campaign text at the carrier', async () => carrier.calls.some((c) => c.json.messageId === messages[0].id));
    // The last one waits for its slot (one a second). Its person opts out now.
    const last = contacts[3];
    await hub.get(ConsentService).record(ws.id, { contactId: last.id, types: 'all', state: 'opted_out', source: 'api', evidence: { note: 'asked by phone' } });

    const rows = await Promise.all(messages.map((m) => settled(m.id)));
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'blocked']);
    expect(rows[3].reason).toBe('opted_out');
    // Its trace says why: consent, checked again at the hand-off.
    expect(rows[3].policy_trace).toEqual(
      expect.arrayContaining([expect.objectContaining({ policy: 'consent', outcome: 'block', reason: 'opted_out', detail: expect.objectContaining({ checkedAt: 'handoff' }) })]),
    );
    expect(carrier.calls.filter((c) => c.json.messageId === messages[3].id)).toHaveLength(0);
  }, 30_000);

  it('hands nothing to the carrier after a STOP was answered, at any point of a throttled campaign (STOPs through the inbound webhook)', async () => {
    const ws = await workspaceAt(5);
    const contacts = await optedIn(ws, 16);
    const messages = await campaign(ws, contacts, 'stops');
    const phoneOf = new Map(contacts.map((c) => [c.id, c.phone]));
    await waitFor('the campaign to start', async () => carrier.calls.some((c) => c.json.messageId === messages[0].id));
    // Half of them text STOP while it sends, the later ones in the campaign's order first.
    const stopped = contacts.slice(8).reverse();
    const answered = new Map<string, number>();
    for (const [i, contact] of stopped.entries()) {
      const { answeredAt } = await textStop(ws, contact.phone!, `in-stop-${contact.id}`);
      answered.set(contact.phone!, answeredAt);
      await new Promise((resolve) => setTimeout(resolve, i % 2 === 0 ? 150 : 300));
    }
    const rows = await Promise.all(messages.map((m) => settled(m.id)));

    const campaignCalls = carrier.calls.filter((c) => messages.some((m) => m.id === c.json.messageId));
    const late = campaignCalls.filter((c) => answered.has(c.json.to) && c.at > answered.get(c.json.to)!);
    expect(late).toEqual([]);
    // Those that had not left yet are blocked with the reason; nobody else is touched.
    const blocked = rows.filter((r) => r.status === 'blocked');
    expect(blocked.length).toBeGreaterThan(0);
    for (const row of blocked) {
      expect(answered.has(phoneOf.get(row.contact_id)!)).toBe(true);
      expect(row.reason).toBe('opted_out');
    }
    expect(rows.filter((r) => !answered.has(phoneOf.get(r.contact_id)!)).every((r) => r.status === 'sent')).toBe(true);
  }, 60_000);

  it('answers a STOP at once during a throttled campaign and hands its confirmation to the carrier ahead of the campaign backlog', async () => {
    const ws = await workspaceAt(4);
    const contacts = await optedIn(ws, 20);
    const [writer] = await optedIn(ws, 1);
    const messages = await campaign(ws, contacts, 'backlog');
    const ids = new Set(messages.map((m) => m.id));
    await waitFor('the campaign to start', async () => carrier.calls.some((c) => ids.has(c.json.messageId)));
    const { answeredAt, replies } = await textStop(ws, writer.phone!, `in-stop-${writer.id}`);
    expect(replies).toHaveLength(1);
    const confirmation = await waitFor('the STOP confirmation at the carrier', async () => carrier.calls.find((c) => c.json.messageId === replies[0].id), 30_000);
    await Promise.all(messages.map((m) => settled(m.id)));
    const campaignCalls = carrier.calls.filter((c) => ids.has(c.json.messageId));
    // The webhook was answered without waiting for the campaign's sends...
    expect(campaignCalls.filter((c) => c.at > answeredAt).length).toBeGreaterThanOrEqual(10);
    // At most about a second of campaign slots (4 at 4 msg/s) is booked ahead of it (and some
    // slack for a loaded machine picking up its job)...
    expect(campaignCalls.filter((c) => c.at >= answeredAt && c.at < confirmation.at).length).toBeLessThanOrEqual(8);
    // ...and the rest of the backlog goes after it.
    expect(campaignCalls.filter((c) => c.at > confirmation.at).length).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('answers a STOP without waiting for the carrier to take its confirmation, which the conversation shows and the send job delivers', async () => {
    const ws = await workspaceAt(20);
    const [writer] = await optedIn(ws, 1);
    // The carrier takes 2 s to answer the confirmation's hand-off.
    carrier.slowFor.set(writer.phone!, 2_000);
    const { replies } = await textStop(ws, writer.phone!, `in-stop-slow-${writer.id}`);
    expect(replies).toHaveLength(1);
    // Answered before the carrier answered: the confirmation was not yet recorded as sent...
    expect(['queued', 'sending']).toContain((await messageRow(replies[0].id)).status);
    // ...its conversation shows it (announced after the answer), and its job hands it off once.
    const shown = await waitFor('the confirmation in the conversation', async () => {
      const rows = await hub.dataSource.query('SELECT role FROM conversation_entry WHERE workspace_id = $1 AND message_id = $2', [ws.id, replies[0].id]);
      return rows.length > 0 ? rows : null;
    });
    expect(shown).toEqual([{ role: 'keyword_reply' }]);
    expect((await settled(replies[0].id)).status).toBe('sent');
    expect(carrier.calls.filter((c) => c.json.messageId === replies[0].id)).toHaveLength(1);
  }, 30_000);

  it('sends one STOP confirmation when two are decided at the same moment and wait for their slots', async () => {
    const ws = await workspaceAt(1);
    const queue = hub.get(JobQueue).queue('sms.send');
    const gateway = hub.get(SendGateway);
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone: '+13125569901' });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_out', source: 'sms_keyword', evidence: { text: 'STOP' } });
    await queue.pause(true);
    try {
      // Something just took the sender's slot: the next one is a second away.
      const busy = await gateway.submit({ workspaceId: ws.id, phone: '+13125569902', type: 'transactional', body: 'Your order shipped.', idempotencyKey: 'busy:1' });
      const dispatcher = hub.get(SendDispatcher);
      const first = dispatcher.dispatchMany(ws.id, [{ messageId: busy.id, finalAttempt: false }]);
      await waitFor('the sender to be busy', async () => carrier.calls.some((c) => c.json.messageId === busy.id));
      // Two confirmations at once (STOP and UNSUBSCRIBE texted together): both pass the policies
      // now — neither was handed off yet — and wait for their slots.
      const confirmations = await Promise.all(
        ['a', 'b'].map((k) =>
          gateway.submit({ workspaceId: ws.id, contactId: contact.id, type: 'system', body: 'You are unsubscribed.', idempotencyKey: `stop-confirmation:${k}`, origin: { systemKind: 'stop_confirmation' } }),
        ),
      );
      await Promise.all([first, ...confirmations.map((m) => dispatcher.dispatchMany(ws.id, [{ messageId: m.id, finalAttempt: false }]))]);
      const rows = await Promise.all(confirmations.map((m) => messageRow(m.id)));
      expect(rows.map((r) => r.status).sort()).toEqual(['blocked', 'sent']);
      const blocked = rows.find((r) => r.status === 'blocked')!;
      expect(blocked.reason).toBe('stop_confirmation_already_sent');
      expect(blocked.policy_trace).toEqual(expect.arrayContaining([expect.objectContaining({ policy: 'consent', outcome: 'block', detail: expect.objectContaining({ checkedAt: 'handoff' }) })]));
      expect(carrier.calls.filter((c) => c.json.to === '+13125569901')).toHaveLength(1);
    } finally {
      await queue.resume(true);
    }
  }, 30_000);

  it('lets a text already on its way to the carrier finish before an opt-out or a suppression commits', async () => {
    const ws = await workspaceAt(50);
    const [stopper, suppressed] = await optedIn(ws, 2);
    for (const c of [stopper, suppressed]) carrier.slowFor.set(c.phone!, 700);
    const messages = await campaign(ws, [stopper, suppressed], 'inflight');
    // Both texts are at the carrier, which has not answered yet: their hand-offs are in flight.
    await waitFor('both texts at the carrier', async () => messages.every((m) => carrier.calls.some((c) => c.json.messageId === m.id)));
    expect((await messageRow(messages[0].id)).status).toBe('sending');
    await Promise.all([
      hub.get(ConsentService).record(ws.id, { contactId: stopper.id, types: 'all', state: 'opted_out', source: 'api', evidence: { note: 'asked by phone' } }),
      hub.get(SuppressionService).add(ws.id, { phone: suppressed.phone!, reason: 'complaint', actor: 'test' }),
    ]);
    // By the time either is recorded, the carrier has answered: nothing was still on its way.
    expect((await messageRow(messages[0].id)).status).toBe('sent');
    expect((await messageRow(messages[1].id)).status).toBe('sent');
  }, 30_000);

  it('records a hand-off the carrier took without answering as ambiguous (still sending), not failed, and never sends it again', async () => {
    const ws = await workspaceAt(50);
    const [person] = await optedIn(ws, 1);
    carrier.dropFor.add(person.phone!);
    const [message] = await campaign(ws, [person], 'dropped');
    const row = await waitFor('the ambiguous flag', async () => {
      const r = await messageRow(message.id);
      return r?.reason === 'ambiguous_handoff' ? r : null;
    });
    expect(row).toMatchObject({ status: 'sending', reason: 'ambiguous_handoff' });
    // Its job ended there: no retry, no second text.
    const job = await waitFor('the send job to finish', async () => (await hub.get(JobQueue).queue('sms.send-batch').getJobs(['completed'])).find((j) => j.data.messageIds.includes(message.id)));
    expect(job.returnvalue).toEqual({ ambiguous: 1 });
    expect(carrier.calls.filter((c) => c.json.messageId === message.id)).toHaveLength(1);
  }, 30_000);

  it('keeps the carrier under the sender rate when claims wait on the workspace’s sending lock (an import holds it), each text once', async () => {
    const ws = await workspaceAt(10);
    const contacts = await optedIn(ws, 30);
    const messages = await campaign(ws, contacts, 'convoy');
    const ids = new Set(messages.map((m) => m.id));
    await waitFor('the campaign to start', async () => carrier.calls.some((c) => ids.has(c.json.messageId)));
    // A bulk consent writer (a list import) holds the workspace's sending lock for 1.5 s: every
    // claim waits, while the limiter keeps granting slots.
    await holdingTransaction(1_500, (manager) => hub.get(SendingLocks).forBulkWriter(manager, ws.id));
    const rows = await Promise.all(messages.map((m) => settled(m.id)));
    expect(rows.map((r) => r.status)).toEqual(messages.map(() => 'sent'));
    const campaignCalls = carrier.calls.filter((c) => ids.has(c.json.messageId));
    // Each text reached the carrier exactly once...
    expect(campaignCalls.map((c) => c.json.messageId).sort()).toEqual([...ids].sort());
    // ...and never more than the sender's rate (10 msg/s) with the chaos suite's slack (× 1.2 + 1) in any second.
    expect(busiestSecond(campaignCalls.map((c) => c.at))).toBeLessThanOrEqual(13);
  }, 60_000);

  it('lets the campaign go on to everyone else while one person’s opt-out is being recorded, and blocks that person’s text', async () => {
    const ws = await workspaceAt(10);
    const contacts = await optedIn(ws, 30);
    const messages = await campaign(ws, contacts, 'one-stops');
    const ids = new Set(messages.map((m) => m.id));
    const stopper = contacts[contacts.length - 1];
    const stopperText = messages[messages.length - 1];
    await waitFor('the campaign to start', async () => carrier.calls.some((c) => ids.has(c.json.messageId)));
    // The opt-out's transaction stays open for 2 s (a slow commit, a stalled process). Under a
    // workspace-wide lock nothing would be claimed meanwhile; only this person's texts must wait.
    let during = 0;
    await holdingTransaction(2_000, async (manager) => {
      await hub.get(ConsentService).recordMany(ws.id, [{ contactId: stopper.id, types: 'all', state: 'opted_out', source: 'api', evidence: { note: 'asked by phone' } }], manager);
      const from = carrier.calls.length;
      return () => (during = carrier.calls.slice(from).filter((c) => ids.has(c.json.messageId)).length);
    });
    expect(during).toBeGreaterThanOrEqual(8);
    const rows = await Promise.all(messages.map((m) => settled(m.id)));
    expect(rows.filter((r) => r.id !== stopperText.id).map((r) => r.status)).toEqual(messages.slice(0, -1).map(() => 'sent'));
    expect(rows.find((r) => r.id === stopperText.id)).toMatchObject({ status: 'blocked' });
    expect(carrier.calls.filter((c) => c.json.messageId === stopperText.id)).toHaveLength(0);
  }, 60_000);

  it('keeps the carrier under the sender rate when the process stalls while slots are booked (their timers fire together), each text once', async () => {
    const ws = await workspaceAt(10);
    const contacts = await optedIn(ws, 40);
    const messages = await campaign(ws, contacts, 'stall');
    const ids = new Set(messages.map((m) => m.id));
    await waitFor('the campaign to be sending', async () => carrier.calls.filter((c) => ids.has(c.json.messageId)).length >= 12);
    // The process stalls for 1.2 s (CPU starvation, a long GC, a reconnect storm after a database
    // restart): the limiter has booked about a second of slots ahead, and their timers all fire
    // when it wakes up.
    stall(1_200);
    const rows = await Promise.all(messages.map((m) => settled(m.id)));
    expect(rows.map((r) => r.status)).toEqual(messages.map(() => 'sent'));
    const campaignCalls = carrier.calls.filter((c) => ids.has(c.json.messageId));
    expect(campaignCalls.map((c) => c.json.messageId).sort()).toEqual([...ids].sort());
    // Slots that passed while the process stood still are not used late: those texts take new ones.
    expect(busiestSecond(campaignCalls.map((c) => c.at))).toBeLessThanOrEqual(13);
  }, 60_000);

  it('tells each waiter the instant of its own slot, also when a stalled process wakes it late (what the hand-off measures lateness by)', async () => {
    const limiter = hub.get(ThroughputLimiter);
    const sender = `stall-test:${Date.now()}`;
    const woken: { slotAt: number; at: number }[] = [];
    const all = Array.from({ length: 20 }, () => limiter.acquire(sender, 10).then((slotAt) => woken.push({ slotAt, at: Date.now() })));
    await waitFor('the first slots', async () => woken.length >= 3);
    stall(1_200);
    await Promise.all(all);
    const slots = woken.map((w) => w.slotAt).sort((a, b) => a - b);
    // The slots themselves stay 100 ms apart (10 msg/s), however the timers fired...
    for (let i = 1; i < slots.length; i++) expect(slots[i] - slots[i - 1]).toBeGreaterThanOrEqual(99);
    // ...and the waiters woken late by the stall are told how late they are.
    expect(woken.filter((w) => w.at - w.slotAt > 300).length).toBeGreaterThanOrEqual(3);
  }, 30_000);

  it('keeps a sender under its rate when the limiter state vanishes from Redis, across processes', async () => {
    const jobs = hub.get(JobQueue);
    const config = hub.get(AppConfig);
    const processA = hub.get(ThroughputLimiter);
    // A second hub process sharing the Redis (its own in-memory state).
    const processB = new ThroughputLimiter(jobs, config);
    const sender = `flush-test:${Date.now()}`;
    const granted: number[] = [];
    const take = (limiter: ThroughputLimiter) => limiter.acquire(sender, 10).then(() => granted.push(Date.now()));

    const first = Array.from({ length: 20 }, () => take(processA));
    await waitFor('process A to be sending', async () => granted.length >= 3);
    // Redis loses the limiter's keys (FLUSHALL, a failover without persistence)...
    const redis = jobs.queue('sms.send').client;
    const keys = await redis.keys(`${config.QUEUE_PREFIX}:rate:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    // ...while both processes keep sending.
    const second = Array.from({ length: 10 }, () => take(processB));
    await Promise.all([...first, ...second]);
    expect(granted).toHaveLength(30);
    // 10 msg/s, and a little slack for timers firing late on a loaded machine (without the
    // restart rule both processes book the same seconds: 20).
    expect(busiestSecond(granted)).toBeLessThanOrEqual(13);
  }, 30_000);
});

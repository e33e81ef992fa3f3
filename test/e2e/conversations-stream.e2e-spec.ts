import type { MessageEvent } from '@nestjs/common';
import { ConversationStreamHub } from '../../libs/conversations/src/stream/conversation-stream.hub';
import { ConversationStreamService } from '../../libs/conversations/src/stream/conversation-stream.service';
import { DomainEventBus } from '@optline/core';
import { InboundSmsService } from '@optline/messaging';
import Redis from 'ioredis';
import { request as httpRequest, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { TEST_REDIS_URL } from '../utils/test-database';
import { waitFor } from '../utils/wait';

/**
 * The inbox's server-sent events (fed through Redis pub/sub, so any hub process's events reach
 * any API process's clients), their visibility rules, and replies a flow took.
 */

const MIDDAY = new Date('2026-11-20T17:00:00Z');

interface StreamEvent {
  type: string;
  conversationId: string;
  agentId: string | null;
  previousAgentId?: string | null;
  data: { direction?: string; body?: string | null; role?: string; consumedByFlow?: boolean; flowRunId?: string | null };
}

/** An EventSource-like reader of the stream: collects parsed events until closed. */
class StreamReader {
  readonly events: StreamEvent[] = [];
  private buffer = '';
  private response: IncomingMessage | null = null;

  static async open(port: number, auth: string): Promise<StreamReader> {
    const reader = new StreamReader();
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/conversations/stream', headers: { Authorization: auth, Accept: 'text/event-stream' } }, (res) => {
        reader.response = res;
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          reader.read(chunk);
          if (chunk.includes(': connected')) resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
    return reader;
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (data) this.events.push(JSON.parse(data) as StreamEvent);
    }
  }

  close(): void {
    this.response?.destroy();
  }
}

describe('conversations: live inbox stream and flow replies', () => {
  let hub: TestHub;
  let server: Server;
  let port: number;
  let ws: TestWorkspace;
  let dana: { id: string; auth: string };
  let lee: { id: string; auth: string };
  const readers: StreamReader[] = [];
  let sms = 0;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
    server = hub.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    ws = await hub.createWorkspace({ name: 'Acme', brandName: 'Acme Optics', optInMode: 'disclaimer' });
    const agent = async (displayName: string) => {
      const res = await hub.http().post('/v1/agents').set('Authorization', `Bearer ${ws.adminKey}`).send({ displayName }).expect(201);
      return { id: res.body.id as string, auth: `Bearer ${res.body.key as string}` };
    };
    dana = await agent('Dana Reyes');
    lee = await agent('Lee Park');
  });

  afterAll(async () => {
    readers.forEach((r) => r.close());
    await new Promise((resolve) => server?.close(resolve));
    await hub?.close();
  });

  const open = async (auth: string) => {
    const reader = await StreamReader.open(port, auth);
    readers.push(reader);
    return reader;
  };

  const clientTexts = (from: string, body: string) =>
    hub.get(InboundSmsService).receive(ws.id, { provider: 'http', providerMessageId: `stream-test-${++sms}`, from, to: '+15005550006', body });

  const start = async (auth: string, phone: string, body: string) => {
    const res = await hub.http().post('/v1/conversations').set('Authorization', auth).set('Idempotency-Key', `start-${phone}`).send({ phone, body }).expect(200);
    return res.body.conversation.id as string;
  };

  it('refuses a request that does not ask for an event stream', async () => {
    const res = await hub.http().get('/v1/conversations/stream').set('Authorization', dana.auth).expect(400);
    expect([res.body.code, res.body.details[0].field]).toEqual(['event_stream_required', 'Accept']);
  });

  it("pushes an agent's own and team conversations, never another agent's; admins get all", async () => {
    const danaStream = await open(dana.auth);
    const adminStream = await open(`Bearer ${ws.adminKey}`);

    const leesConversation = await start(lee.auth, '+14155550301', 'Hi, Lee here');
    const danasConversation = await start(dana.auth, '+14155550302', 'Hi, Dana here');
    await clientTexts('+14155550302', 'Hello Dana!');

    const inbound = await waitFor('the reply on Dana’s stream', () =>
      danaStream.events.find((e) => e.type === 'entry.created' && e.conversationId === danasConversation && e.data.direction === 'inbound'),
    );
    expect(inbound.data.body).toBe('Hello Dana!');
    // Redis keeps one connection's messages in order: Lee's earlier events would be here by now.
    expect(danaStream.events.filter((e) => e.conversationId === leesConversation)).toEqual([]);
    expect(danaStream.events.filter((e) => e.conversationId === danasConversation).map((e) => e.data.role)).toEqual(['disclaimer', 'agent', 'client']);

    await waitFor('both conversations on the admin stream', () => adminStream.events.some((e) => e.conversationId === danasConversation && e.data.direction === 'inbound'));
    expect(new Set(adminStream.events.map((e) => e.conversationId))).toEqual(new Set([leesConversation, danasConversation]));

    // A client who texts in for the first time lands in the team inbox, which every agent sees.
    await clientTexts('+14155550303', 'Anyone there?');
    const team = await waitFor('the team conversation on Dana’s stream', () => danaStream.events.find((e) => e.agentId === null && e.data.body === 'Anyone there?'));

    // Handing it to Lee tells Dana it left her inbox; what follows in it no longer reaches her.
    await hub.http().post(`/v1/conversations/${team.conversationId}/assign`).set('Authorization', `Bearer ${ws.adminKey}`).send({ agentId: lee.id }).expect(200);
    const moved = await waitFor('the assignment on Dana’s stream', () => danaStream.events.find((e) => e.type === 'conversation.assigned'));
    expect([moved.conversationId, moved.agentId, moved.previousAgentId]).toEqual([team.conversationId, lee.id, null]);
    await clientTexts('+14155550303', 'For Lee only');
    await clientTexts('+14155550302', 'One more for Dana');
    await waitFor('Dana’s later reply', () => danaStream.events.some((e) => e.data.body === 'One more for Dana'));
    expect(danaStream.events.filter((e) => e.data.body === 'For Lee only')).toEqual([]);
  });

  it('delivers what another hub process publishes on Redis', async () => {
    const danaStream = await open(dana.auth);
    const conversationId = await start(dana.auth, '+14155550304', 'Hello from Dana');
    const otherProcess = new Redis(TEST_REDIS_URL);
    try {
      const event = { type: 'conversation.read', workspaceId: ws.id, conversationId, agentId: dana.id, at: MIDDAY.toISOString(), data: { unreadCount: 0 } };
      await otherProcess.publish(`${hub.config.QUEUE_PREFIX}:conversations:stream`, JSON.stringify(event));
      await otherProcess.publish(`${hub.config.QUEUE_PREFIX}:conversations:stream`, JSON.stringify({ ...event, workspaceId: '00000000-0000-4000-8000-000000000000', type: 'conversation.updated' }));
    } finally {
      otherProcess.disconnect();
    }
    await waitFor('the event published elsewhere', () => danaStream.events.some((e) => e.type === 'conversation.read' && e.conversationId === conversationId));
    expect(danaStream.events.filter((e) => e.type === 'conversation.updated')).toEqual([]);
  });

  it('speaks the EventSource wire format: no-cache headers, the reconnect delay first, then numbered events', async () => {
    const conversationId = await start(dana.auth, '+14155550306', 'Wire check');
    let raw = '';
    let headers: IncomingMessage['headers'] = {};
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/conversations/stream', headers: { Authorization: dana.auth, Accept: 'text/event-stream' } }, (res) => {
        headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          raw += chunk;
          if (raw.includes(': connected')) resolve(res);
        });
      });
      req.on('error', reject);
      req.end();
    });
    try {
      expect(headers['content-type']).toMatch(/^text\/event-stream/);
      expect(headers['cache-control']).toContain('no-cache');
      expect(headers['x-accel-buffering']).toBe('no');
      expect(raw.trimStart()).toMatch(/^id: 0\nretry: 3000\n: connected\n\n/);
      const otherProcess = new Redis(TEST_REDIS_URL);
      const event = { type: 'conversation.read', workspaceId: ws.id, conversationId, agentId: dana.id, at: MIDDAY.toISOString(), data: { unreadCount: 0 } };
      await otherProcess.publish(`${hub.config.QUEUE_PREFIX}:conversations:stream`, JSON.stringify(event)).finally(() => otherProcess.disconnect());
      await waitFor('the event on the wire', () => raw.includes('event: conversation.read'));
      expect(raw).toContain(`event: conversation.read\nid: 1\ndata: ${JSON.stringify(event)}\n\n`);
    } finally {
      response.destroy();
    }
  });

  it('keeps an idle stream open with a comment line', async () => {
    const viewer = { auth: { workspaceId: ws.id, role: 'admin' as const, actor: 'test' }, agent: null };
    const frames: MessageEvent[] = [];
    const subscription = (await hub.get(ConversationStreamService).events(viewer, 30)).subscribe((frame) => frames.push(frame));
    try {
      await waitFor('two heartbeats', () => frames.filter((f) => f.comment === 'ping').length >= 2);
      expect(frames[0]).toEqual({ id: '0', retry: 3000, comment: 'connected' });
      expect(frames.slice(1).every((f) => f.comment === 'ping' && f.data === undefined && f.id === undefined)).toBe(true);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('ends every open stream when the process shuts its fan-out down', async () => {
    const fanOut = new ConversationStreamHub(hub.config);
    const viewer = { auth: { workspaceId: ws.id, role: 'admin' as const, actor: 'test' }, agent: null };
    let ended = false;
    const frames: MessageEvent[] = [];
    (await new ConversationStreamService(fanOut).events(viewer, 20)).subscribe({ next: (f) => frames.push(f), complete: () => (ended = true) });
    await waitFor('a heartbeat', () => frames.some((f) => f.comment === 'ping'));
    await fanOut.onModuleDestroy();
    expect(ended).toBe(true);
    const count = frames.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(frames).toHaveLength(count); // no heartbeat after the end
  });

  it('shows a reply a flow took in the conversation, marked as the flow’s, after the flow had it', async () => {
    const danaStream = await open(dana.auth);
    const phone = '+14155550305';
    const conversationId = await start(dana.auth, phone, 'Your appointment is tomorrow at 10. Reply C to confirm.');
    const flowRunId = '6f1d2c3b-4a59-4e87-9d6c-5b4a39281706';
    // Stands in for the flows library's reply listener announcing the reply it took. In the hub the
    // flows subscribe first (the inbox subscribes at bootstrap), so the mark usually comes before the
    // inbox sees the text; here it comes after — both orders end with one marked entry.
    const bus = hub.get(DomainEventBus);
    bus.subscribe('sms.received', async (sms) => {
      if (sms.body === 'C') await bus.publish('flow.reply_taken', { workspaceId: sms.workspaceId, contactId: sms.contactId, messageId: sms.messageId, flowRunId });
    });
    await clientTexts(phone, 'C');
    await clientTexts(phone, 'Also, can I bring my son?');

    const timeline = await hub.http().get(`/v1/conversations/${conversationId}/messages`).set('Authorization', dana.auth).expect(200);
    expect(timeline.body.data.filter((e: { direction: string }) => e.direction === 'inbound').map((e: { body: string; consumedByFlow: boolean; flowRunId: string | null }) => [e.body, e.consumedByFlow, e.flowRunId])).toEqual([
      ['C', true, flowRunId],
      ['Also, can I bring my son?', false, null],
    ]);
    await waitFor('the reply on the stream', () => danaStream.events.some((e) => e.data.body === 'C' && e.data.consumedByFlow === true));
  });
});

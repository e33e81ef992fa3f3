import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { ConsoleSmsProvider, InboundSmsService } from '@optline/messaging';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/**
 * Seed 004's two scenarios (agent writes first, client writes first) in both opt-in modes, with
 * the default texts, over HTTP against real Postgres and Redis and the console provider. Inbound
 * texts enter through the messaging library's inbound service — what its signed webhooks call.
 */

// 17:00 UTC on a Friday: inside every US quiet-hours window, so nothing is deferred.
const MIDDAY = new Date('2026-11-20T17:00:00Z');
const MINUTE = 60_000;

const REQUEST = (agent: string) =>
  `[Auto Message] ${agent} is trying to reach you. As per company policy, you must provide your consent to continue messaging. To Opt in, reply YES. To opt out, reply STOP.`;
const AGENT_REQUESTED = '[Auto Message] Your contact has been sent a request to Opt-in. Once they accept, you will be able to message with your contact.';
const AGENT_ATTEMPTED =
  '[Auto Message] A contact attempted to reach you. They have been sent a request to Opt-in. Once they accept, you will see their message and be able to reply.';
const AGENT_OPTED_IN = '[Auto Message] Your Contact has opted in. You may continue to send/receive messages.';
const AGENT_OPTED_OUT = '[Auto Message] Your contact has opted out. No further messages can be sent to this contact until they have provided their consent again.';
const DISCLAIMER_OUT = (agent: string, brand: string) => `[Auto Message] You are receiving messages from ${agent} on behalf of ${brand}. To opt out, reply STOP.`;
const DISCLAIMER_IN = (agent: string, brand: string) => `[Auto Message] You are messaging with ${agent} on behalf of ${brand}. To opt out, reply STOP.`;
// The contact's confirmations are the workspace's keyword replies (libs/messaging defaults, seed 004).
const CLIENT_OPTED_IN = (_brand: string) => '[Auto Message] Opt in confirmed. If you wish to opt out at any time, reply STOP.';
const CLIENT_STOPPED = (_brand: string) => '[Auto Message] Opt out confirmed. If you change your mind, please reply with a new message.';
// Disclaimer mode has no YES to ask again for: the program's (seed 003) STOP confirmation.
const PROGRAM_STOPPED = (brand: string) => `${brand}: You have been unsubscribed and will receive no further text messages from this program. Reply HELP for help.`;
const CLIENT_RESUBSCRIBED = (brand: string) => `${brand}: You're resubscribed. Msg freq varies. Msg&data rates may apply. Reply HELP for help, STOP to cancel.`;

interface Entry {
  id: string;
  direction: string;
  role: string;
  body: string | null;
  status: string | null;
  reason: string | null;
  held: boolean;
  blocked: boolean;
  noticeCode: string | null;
  senderName: string | null;
  consumedByFlow: boolean;
}

describe('conversations: seed 004 in both opt-in modes', () => {
  let hub: TestHub;
  let sms = 0;
  let phones = 0;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
  });

  afterAll(async () => {
    await hub?.close();
  });

  /** A fresh California number (Pacific time: 09:00 at MIDDAY). */
  const newPhone = () => `+1415555${String(1000 + ++phones).slice(-4)}`;
  const tick = () => hub.manualClock.advance(MINUTE);

  /** What the console provider handed off to this number, oldest first. */
  const texts = (ws: TestWorkspace, phone: string) =>
    hub
      .get(ConsoleSmsProvider)
      .outbox({ workspaceId: ws.id, to: phone })
      .map((s) => s.body);

  /** The contact texts the workspace (as the provider's inbound webhook reports it). */
  async function clientTexts(ws: TestWorkspace, from: string, body: string) {
    tick();
    return hub.get(InboundSmsService).receive(ws.id, { provider: 'http', providerMessageId: `conv-test-${++sms}`, from, to: '+15005550006', body });
  }

  async function workspace(optInMode: 'consent' | 'disclaimer') {
    const ws = await hub.createWorkspace({ name: `Acme ${optInMode}`, brandName: 'Acme Optics', optInMode });
    const agent = async (displayName: string) => {
      const res = await hub.http().post('/v1/agents').set('Authorization', `Bearer ${ws.adminKey}`).send({ displayName }).expect(201);
      return { id: res.body.id as string, auth: `Bearer ${res.body.key as string}` };
    };
    return { ws, dana: await agent('Dana Reyes'), lee: await agent('Lee Park') };
  }

  async function start(auth: string, phone: string, body: string, key = `start-${phone}`) {
    tick();
    const res = await hub.http().post('/v1/conversations').set('Authorization', auth).set('Idempotency-Key', key).send({ phone, body }).expect(200);
    return { id: res.body.conversation.id as string, message: res.body.message as Entry, body: res.body };
  }

  async function send(auth: string, conversationId: string, body: string, key: string, expected = 201) {
    tick();
    const res = await hub.http().post(`/v1/conversations/${conversationId}/messages`).set('Authorization', auth).set('Idempotency-Key', key).send({ body });
    expect([res.status, res.body.code]).toEqual([expected, undefined]);
    return res.body as Entry;
  }

  async function timeline(auth: string, conversationId: string): Promise<Entry[]> {
    const res = await hub.http().get(`/v1/conversations/${conversationId}/messages`).set('Authorization', auth).expect(200);
    return res.body.data;
  }

  /** The timeline as readable lines: "<direction>/<role> <status> <body>". */
  const lines = (entries: Entry[]) => entries.map((e) => `${e.direction}/${e.role} ${e.status ?? '-'} ${e.body ?? '(hidden)'}`);

  async function conversationOf(ws: TestWorkspace, phone: string) {
    return waitFor(`a conversation for ${phone}`, async () => {
      const res = await hub.http().get('/v1/conversations').set('Authorization', `Bearer ${ws.adminKey}`).expect(200);
      return (res.body.data as { id: string; contact: { phone: string } }[]).find((c) => c.contact.phone === phone);
    });
  }

  async function ledger(ws: TestWorkspace, phone: string) {
    const contact = await hub.get(ContactService).findByPhone(ws.id, phone);
    const states = (await hub.get(ConsentService).statesFor(ws.id, [contact!.id])).get(contact!.id);
    const events: { message_type: string; state: string; source: string; evidence: Record<string, unknown> }[] = await hub.dataSource.query(
      `SELECT message_type, state, source, evidence FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 ORDER BY recorded_at, id`,
      [ws.id, contact!.id],
    );
    return { states, events };
  }

  describe('consent mode', () => {
    it('agent writes first: the texts wait for YES, then leave in order after both sides are told', async () => {
      const { ws, dana } = await workspace('consent');
      const sam = newPhone();
      const first = await start(dana.auth, sam, 'Hi Sam, your glasses are ready.');
      expect([first.message.status, first.message.held, first.message.reason]).toEqual(['held', true, 'awaiting_opt_in']);
      const second = await send(dana.auth, first.id, 'We are open until 6 pm today.', 'dana-2');
      expect(second.status).toBe('held');

      // Only the request reached the contact — once, in Dana's name; Dana sees the notice.
      expect(texts(ws, sam)).toEqual([REQUEST('Dana Reyes')]);
      expect(lines(await timeline(dana.auth, first.id))).toEqual([
        'outbound/agent held Hi Sam, your glasses are ready.',
        `outbound/opt_in_request sent ${REQUEST('Dana Reyes')}`,
        `notice/notice - ${AGENT_REQUESTED}`,
        'outbound/agent held We are open until 6 pm today.',
      ]);
      const inbox = await hub.http().get('/v1/conversations').set('Authorization', dana.auth).expect(200);
      expect(inbox.body.data).toEqual([
        expect.objectContaining({ id: first.id, agent: { id: dana.id, displayName: 'Dana Reyes' }, awaitingOptIn: true, unreadCount: 0, consent: expect.objectContaining({ conversational: 'none' }) }),
      ]);

      await clientTexts(ws, sam, 'YES');

      expect(texts(ws, sam)).toEqual([REQUEST('Dana Reyes'), CLIENT_OPTED_IN('Acme Optics'), 'Hi Sam, your glasses are ready.', 'We are open until 6 pm today.']);
      expect(lines(await timeline(dana.auth, first.id))).toEqual([
        'outbound/agent sent Hi Sam, your glasses are ready.',
        `outbound/opt_in_request sent ${REQUEST('Dana Reyes')}`,
        `notice/notice - ${AGENT_REQUESTED}`,
        'outbound/agent sent We are open until 6 pm today.',
        'inbound/client received YES',
        `outbound/keyword_reply sent ${CLIENT_OPTED_IN('Acme Optics')}`,
        `notice/notice - ${AGENT_OPTED_IN}`,
      ]);
      const { states, events } = await ledger(ws, sam);
      expect(states).toEqual(expect.objectContaining({ conversational: 'opted_in', marketing: 'none' }));
      expect(events).toEqual([expect.objectContaining({ message_type: 'conversational', state: 'opted_in', source: 'sms_keyword', evidence: expect.objectContaining({ text: 'YES' }) })]);

      // From now on texts go straight out; the client's replies count as unread until read.
      await send(dana.auth, first.id, 'See you soon!', 'dana-3');
      await clientTexts(ws, sam, 'Thanks, on my way');
      expect(texts(ws, sam).slice(-1)).toEqual(['See you soon!']);
      const afterReply = await hub.http().get(`/v1/conversations/${first.id}`).set('Authorization', dana.auth).expect(200);
      expect([afterReply.body.unreadCount, afterReply.body.lastMessage.preview, afterReply.body.awaitingOptIn]).toEqual([2, 'Thanks, on my way', false]);
      const read = await hub.http().post(`/v1/conversations/${first.id}/read`).set('Authorization', dana.auth).expect(200);
      expect(read.body.unreadCount).toBe(0);

      // A replayed Idempotency-Key answers the first result and sends nothing.
      const replay = await hub.http().post(`/v1/conversations/${first.id}/messages`).set('Authorization', dana.auth).set('Idempotency-Key', 'dana-3').send({ body: 'See you soon!' }).expect(201);
      expect([replay.headers['idempotent-replayed'], replay.body.status]).toEqual(['true', 'sent']);
      expect(texts(ws, sam).filter((t) => t === 'See you soon!')).toHaveLength(1);
    });

    it('agent writes first, client answers STOP: held texts are blocked, no agent can text them, START opts them back in', async () => {
      const { ws, dana, lee } = await workspace('consent');
      const kim = newPhone();
      const conversation = await start(lee.auth, kim, 'Hello Kim, this is Lee from Acme Optics.');
      await send(lee.auth, conversation.id, 'Your new frames arrived.', 'lee-2');
      expect(texts(ws, kim)).toEqual([REQUEST('Lee Park')]);

      await clientTexts(ws, kim, 'STOP');

      expect(texts(ws, kim)).toEqual([REQUEST('Lee Park'), CLIENT_STOPPED('Acme Optics')]);
      const afterStop = await timeline(lee.auth, conversation.id);
      expect(lines(afterStop)).toEqual([
        'outbound/agent blocked Hello Kim, this is Lee from Acme Optics.',
        `outbound/opt_in_request sent ${REQUEST('Lee Park')}`,
        `notice/notice - ${AGENT_REQUESTED}`,
        'outbound/agent blocked Your new frames arrived.',
        'inbound/client received STOP',
        `outbound/keyword_reply sent ${CLIENT_STOPPED('Acme Optics')}`,
        `notice/notice - ${AGENT_OPTED_OUT}`,
      ]);
      expect(afterStop.filter((e) => e.role === 'agent').map((e) => [e.blocked, e.reason])).toEqual([
        [true, 'opted_out'],
        [true, 'opted_out'],
      ]);
      // The gateway recorded them: blocked, with the reason, in the message log.
      const logged = await hub.http().get('/v1/messages').query({ status: 'blocked' }).set('Authorization', `Bearer ${ws.adminKey}`).expect(200);
      expect(logged.body.data.map((m: { body: string; reason: string }) => [m.body, m.reason]).sort()).toEqual([
        ['Hello Kim, this is Lee from Acme Optics.', 'opted_out'],
        ['Your new frames arrived.', 'opted_out'],
      ]);

      // Nobody can text Kim now: not Lee, not an admin, and Dana cannot take the conversation.
      const byLee = await send(lee.auth, conversation.id, 'Are you sure?', 'lee-3');
      expect([byLee.status, byLee.reason]).toEqual(['blocked', 'opted_out']);
      const byAdmin = await send(`Bearer ${ws.adminKey}`, conversation.id, 'Admin here', 'admin-1');
      expect([byAdmin.status, byAdmin.reason]).toEqual(['blocked', 'opted_out']);
      const byDana = await hub.http().post('/v1/conversations').set('Authorization', dana.auth).set('Idempotency-Key', 'dana-x').send({ phone: kim, body: 'Hi Kim' }).expect(409);
      expect(byDana.body.code).toBe('conversation_exists');
      await hub.http().post(`/v1/conversations/${conversation.id}/assign`).set('Authorization', `Bearer ${ws.adminKey}`).send({ agentId: dana.id }).expect(200);
      const afterAssign = await send(dana.auth, conversation.id, 'Hi Kim, Dana here', 'dana-1');
      expect([afterAssign.status, afterAssign.reason]).toEqual(['blocked', 'opted_out']);
      expect(texts(ws, kim)).toEqual([REQUEST('Lee Park'), CLIENT_STOPPED('Acme Optics')]);

      // A later re-opt-in: START. Both sides are told, and texts flow again.
      await clientTexts(ws, kim, 'START');
      const resumed = await send(dana.auth, conversation.id, 'Welcome back, Kim!', 'dana-2');
      expect(resumed.status).toBe('sent');
      expect(texts(ws, kim)).toEqual([REQUEST('Lee Park'), CLIENT_STOPPED('Acme Optics'), CLIENT_RESUBSCRIBED('Acme Optics'), 'Welcome back, Kim!']);
      expect(lines(await timeline(dana.auth, conversation.id)).slice(-4)).toEqual([
        'inbound/client received START',
        `outbound/keyword_reply sent ${CLIENT_RESUBSCRIBED('Acme Optics')}`,
        `notice/notice - ${AGENT_OPTED_IN}`,
        'outbound/agent sent Welcome back, Kim!',
      ]);
      expect((await ledger(ws, kim)).states).toEqual({ marketing: 'opted_in', transactional: 'opted_in', conversational: 'opted_in' });
    });

    it('client writes first: their text is held, the agent is told, and YES releases both sides in order', async () => {
      const { ws, dana } = await workspace('consent');
      const ana = newPhone();
      await clientTexts(ws, ana, 'Hi, is my prescription ready?');
      // The messaging library holds the text and asks the contact once (its send job does).
      await waitFor('the opt-in request', async () => texts(ws, ana).length > 0);
      expect(texts(ws, ana)).toHaveLength(1);
      expect(texts(ws, ana)[0]).toBe(
        '[Auto Message] You are trying to reach Acme Optics. In order for your message to be delivered, please reply YES to opt in to receive text messages from Acme Optics. Msg&data rates may apply.',
      );

      const found = await conversationOf(ws, ana);
      const before = await waitFor('the notice', async () => {
        const entries = await timeline(`Bearer ${ws.adminKey}`, found.id);
        return entries.some((e) => e.noticeCode === 'contact_attempted') ? entries : null;
      });
      expect(lines(before)).toEqual([
        'inbound/client held (hidden)',
        `outbound/opt_in_request sent ${texts(ws, ana)[0]}`,
        `notice/notice - ${AGENT_ATTEMPTED}`,
      ]);
      const teamView = await hub.http().get(`/v1/conversations/${found.id}`).set('Authorization', dana.auth).expect(200);
      expect([teamView.body.team, teamView.body.unreadCount, teamView.body.awaitingOptIn]).toEqual([true, 0, true]);

      // Dana takes the conversation and answers; the answer waits too, and no second request goes out.
      await hub.http().post(`/v1/conversations/${found.id}/assign`).set('Authorization', dana.auth).send({ agentId: dana.id }).expect(200);
      const answer = await send(dana.auth, found.id, 'Yes, it is ready for pick-up.', 'dana-ana-1');
      expect(answer.status).toBe('held');
      expect(texts(ws, ana)).toHaveLength(1);

      await clientTexts(ws, ana, 'yes');

      expect(texts(ws, ana).slice(1)).toEqual([CLIENT_OPTED_IN('Acme Optics'), 'Yes, it is ready for pick-up.']);
      expect(lines(await timeline(dana.auth, found.id))).toEqual([
        'inbound/client received Hi, is my prescription ready?',
        `outbound/opt_in_request sent ${texts(ws, ana)[0]}`,
        `notice/notice - ${AGENT_ATTEMPTED}`,
        'outbound/agent sent Yes, it is ready for pick-up.',
        'inbound/client received yes',
        `outbound/keyword_reply sent ${CLIENT_OPTED_IN('Acme Optics')}`,
        `notice/notice - ${AGENT_OPTED_IN}`,
      ]);
      const after = await hub.http().get(`/v1/conversations/${found.id}`).set('Authorization', dana.auth).expect(200);
      expect([after.body.unreadCount, after.body.consent.conversational]).toEqual([2, 'opted_in']);
    });

    it('client writes first and then STOPs: their text stays hidden, the agent is told, and the agent cannot answer', async () => {
      const { ws, dana } = await workspace('consent');
      const raj = newPhone();
      await clientTexts(ws, raj, 'Who is this?');
      const found = await conversationOf(ws, raj);
      await waitFor('the notice', async () => (await timeline(`Bearer ${ws.adminKey}`, found.id)).some((e) => e.noticeCode === 'contact_attempted'));
      await clientTexts(ws, raj, 'STOP');
      const answer = await send(dana.auth, found.id, 'This is Acme Optics.', 'dana-raj-1');
      expect([answer.status, answer.reason]).toEqual(['blocked', 'opted_out']);
      const entries = await timeline(dana.auth, found.id);
      expect(entries[0]).toEqual(expect.objectContaining({ direction: 'inbound', body: null, held: true }));
      expect(entries.filter((e) => e.noticeCode).map((e) => e.body)).toEqual([AGENT_ATTEMPTED, AGENT_OPTED_OUT]);
      expect(texts(ws, raj).slice(1)).toEqual([CLIENT_STOPPED('Acme Optics')]);
    });
  });

  describe('disclaimer mode', () => {
    it('agent writes first: the disclaimer precedes the first text, no YES is needed, STOP and START work the same', async () => {
      const { ws, dana } = await workspace('disclaimer');
      const zoe = newPhone();
      const conversation = await start(dana.auth, zoe, 'Hi Zoe, your contact lenses shipped today.');
      expect(conversation.message.status).toBe('sent');
      await send(dana.auth, conversation.id, 'Tracking: 1Z999AA10123456784', 'dana-2');
      expect(texts(ws, zoe)).toEqual([DISCLAIMER_OUT('Dana Reyes', 'Acme Optics'), 'Hi Zoe, your contact lenses shipped today.', 'Tracking: 1Z999AA10123456784']);
      expect(lines(await timeline(dana.auth, conversation.id))).toEqual([
        `outbound/disclaimer sent ${DISCLAIMER_OUT('Dana Reyes', 'Acme Optics')}`,
        'outbound/agent sent Hi Zoe, your contact lenses shipped today.',
        'outbound/agent sent Tracking: 1Z999AA10123456784',
      ]);

      await clientTexts(ws, zoe, 'Stop');
      const blocked = await send(dana.auth, conversation.id, 'Did you get them?', 'dana-3');
      expect([blocked.status, blocked.reason]).toEqual(['blocked', 'opted_out']);
      expect(texts(ws, zoe).slice(3)).toEqual([PROGRAM_STOPPED('Acme Optics')]);

      await clientTexts(ws, zoe, 'START');
      const again = await send(dana.auth, conversation.id, 'Glad to have you back.', 'dana-4');
      expect(again.status).toBe('sent');
      expect(texts(ws, zoe).slice(4)).toEqual([CLIENT_RESUBSCRIBED('Acme Optics'), 'Glad to have you back.']);
      expect(lines(await timeline(dana.auth, conversation.id)).slice(3)).toEqual([
        'inbound/client received Stop',
        `outbound/keyword_reply sent ${PROGRAM_STOPPED('Acme Optics')}`,
        `notice/notice - ${AGENT_OPTED_OUT}`,
        'outbound/agent blocked Did you get them?',
        'inbound/client received START',
        `outbound/keyword_reply sent ${CLIENT_RESUBSCRIBED('Acme Optics')}`,
        `notice/notice - ${AGENT_OPTED_IN}`,
        'outbound/agent sent Glad to have you back.',
      ]);
    });

    it('client writes first: they are told whom they are messaging with, and the agent who answers introduces themself', async () => {
      const { ws, lee } = await workspace('disclaimer');
      const max = newPhone();
      await clientTexts(ws, max, 'Hello? Do you repair frames?');
      expect(texts(ws, max)).toEqual([DISCLAIMER_IN('Acme Optics', 'Acme Optics')]);
      const found = await conversationOf(ws, max);
      await hub.http().post(`/v1/conversations/${found.id}/assign`).set('Authorization', lee.auth).send({ agentId: lee.id }).expect(200);
      await send(lee.auth, found.id, 'We do! Bring them by any time.', 'lee-1');
      expect(texts(ws, max)).toEqual([DISCLAIMER_IN('Acme Optics', 'Acme Optics'), DISCLAIMER_OUT('Lee Park', 'Acme Optics'), 'We do! Bring them by any time.']);
      const view = await hub.http().get(`/v1/conversations/${found.id}`).set('Authorization', lee.auth).expect(200);
      expect([view.body.unreadCount, view.body.consent.conversational]).toEqual([1, 'none']);
    });
  });

  describe('who sees what', () => {
    it("one agent cannot read, list, text or assign another agent's conversation; admins see all", async () => {
      const { ws, dana, lee } = await workspace('disclaimer');
      const leesClient = newPhone();
      const lees = await start(lee.auth, leesClient, 'Hi from Lee');
      const danas = await start(dana.auth, newPhone(), 'Hi from Dana');

      await hub.http().get(`/v1/conversations/${lees.id}`).set('Authorization', dana.auth).expect(404);
      await hub.http().get(`/v1/conversations/${lees.id}/messages`).set('Authorization', dana.auth).expect(404);
      await hub.http().post(`/v1/conversations/${lees.id}/messages`).set('Authorization', dana.auth).set('Idempotency-Key', 'x').send({ body: 'hi' }).expect(404);
      await hub.http().post(`/v1/conversations/${lees.id}/read`).set('Authorization', dana.auth).expect(404);
      await hub.http().post(`/v1/conversations/${lees.id}/assign`).set('Authorization', dana.auth).send({ agentId: dana.id }).expect(404);
      const danaInbox = await hub.http().get('/v1/conversations').set('Authorization', dana.auth).expect(200);
      expect(danaInbox.body.data.map((c: { id: string }) => c.id)).toEqual([danas.id]);
      const adminInbox = await hub.http().get('/v1/conversations').set('Authorization', `Bearer ${ws.adminKey}`).expect(200);
      expect(adminInbox.body.data.map((c: { id: string }) => c.id).sort()).toEqual([danas.id, lees.id].sort());
      // A reply from Lee's client lands in Lee's conversation, still out of Dana's sight.
      await clientTexts(ws, leesClient, 'Thanks Lee');
      expect((await timeline(lee.auth, lees.id)).map((e) => e.body)).toContain('Thanks Lee');
      await hub.http().get(`/v1/conversations/${lees.id}/messages`).set('Authorization', dana.auth).expect(404);

      // Another workspace's admin sees nothing of it.
      const other = await hub.createWorkspace({ name: 'Other' });
      await hub.http().get(`/v1/conversations/${lees.id}`).set('Authorization', `Bearer ${other.adminKey}`).expect(404);
    });

    it('an agent key needs the support or admin role, and a key belongs to one agent', async () => {
      const ws = await hub.createWorkspace({ name: 'Keys' });
      const marketing = await hub.http().post('/v1/api-keys').set('Authorization', `Bearer ${ws.adminKey}`).send({ name: 'm', role: 'marketing' }).expect(201);
      const refused = await hub.http().post('/v1/agents').set('Authorization', `Bearer ${ws.adminKey}`).send({ displayName: 'Mo', apiKeyId: marketing.body.id }).expect(422);
      expect(refused.body.details[0].field).toBe('apiKeyId');
      const support = await hub.http().post('/v1/api-keys').set('Authorization', `Bearer ${ws.adminKey}`).send({ name: 's', role: 'support' }).expect(201);
      const bound = await hub.http().post('/v1/agents').set('Authorization', `Bearer ${ws.adminKey}`).send({ displayName: 'Sol', apiKeyId: support.body.id }).expect(201);
      expect([bound.body.apiKeyId, bound.body.key]).toEqual([support.body.id, null]);
      await hub.http().post('/v1/agents').set('Authorization', `Bearer ${ws.adminKey}`).send({ displayName: 'Sol 2', apiKeyId: support.body.id }).expect(409);
      await hub.http().post('/v1/agents').set('Authorization', `Bearer ${support.body.key}`).send({ displayName: 'Self-made' }).expect(403);
    });
  });

  describe('texts are workspace settings', () => {
    it('validates placeholders on save and uses the saved text', async () => {
      const { ws, dana } = await workspace('consent');
      const admin = `Bearer ${ws.adminKey}`;
      const defaults = await hub.http().get('/v1/conversation-settings').set('Authorization', admin).expect(200);
      expect(defaults.body.texts.optInRequest).toEqual(expect.objectContaining({ template: expect.stringContaining('{{ agent.name }} is trying to reach you'), customized: false }));

      const typo = await hub.http().put('/v1/conversation-settings').set('Authorization', admin).send({ texts: { optInRequest: '{{ agent.nam }} wants to text you. Reply YES or STOP.' } }).expect(422);
      expect(typo.body.details).toEqual([expect.objectContaining({ field: 'texts.optInRequest', unknown: ['agent.nam'] })]);
      const noYes = await hub.http().put('/v1/conversation-settings').set('Authorization', admin).send({ texts: { optInRequest: '{{ agent.name }} wants to text you. Reply STOP to opt out.' } }).expect(422);
      expect(noYes.body.details).toEqual([{ field: 'texts.optInRequest', message: 'must tell the contact to reply YES' }]);
      const unknownKey = await hub.http().put('/v1/conversation-settings').set('Authorization', admin).send({ texts: { greeting: 'Hi' } }).expect(422);
      expect(unknownKey.body.details[0].field).toBe('texts.greeting');
      await hub.http().put('/v1/conversation-settings').set('Authorization', dana.auth).send({ teamName: 'Front desk' }).expect(403);

      await hub
        .http()
        .put('/v1/conversation-settings')
        .set('Authorization', admin)
        .send({ teamName: 'Front desk', texts: { optInRequest: '{{ agent.name }} of {{ workspace.brandName }} would like to text you. Reply YES to accept or STOP to decline.' } })
        .expect(200);
      const pat = newPhone();
      await start(dana.auth, pat, 'Hello Pat');
      expect(texts(ws, pat)).toEqual(['Dana Reyes of Acme Optics would like to text you. Reply YES to accept or STOP to decline.']);
    });
  });
});

import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { ConsoleSmsProvider, InboundSmsService } from '@optline/messaging';
import { FlowKit } from '../../libs/flows/testing/flow-e2e-kit';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/**
 * The hub's own texts (seed 003's program replies, seed 004's conversation texts, Spanish
 * answers), the preference link in texts and on the contact, and the review of flagged inbound
 * texts. Inbound texts enter through the messaging library's inbound service (what the signed
 * provider webhooks call); replies leave through the gateway to the console provider.
 */

// 17:00 UTC on a Friday: inside every US sending window.
const MIDDAY = new Date('2026-11-20T17:00:00Z');

const PROGRAM_STOP = 'Acme Optics: You have been unsubscribed and will receive no further text messages from this program. Reply HELP for help.';
const PROGRAM_STOP_ES = 'Acme Optics: Se ha cancelado su suscripción y no recibirá más mensajes de texto de este programa. Responda AYUDA para obtener ayuda.';
const HELP_ES = 'Acme Optics: Ayuda en help@acme.test. Pueden aplicarse tarifas de mensajes y datos. Responda PARAR para cancelar.';
const CONVERSATION_STOP = '[Auto Message] Opt out confirmed. If you change your mind, please reply with a new message.';
const CLIENT_REQUEST = (employee: string) =>
  `[Auto Message] You are trying to reach ${employee} from Acme Optics. In order for your message to be delivered, please reply YES to opt in to receive text messages from Acme Optics. Msg&data rates may apply.`;
const OPTED_IN = '[Auto Message] Opt in confirmed. If you wish to opt out at any time, reply STOP.';
const AGENT_OPTED_IN = '[Auto Message] Your Contact has opted in. You may continue to send/receive messages.';

describe('seed texts, preference links and flagged inbound review', () => {
  let hub: TestHub;
  let sms = 0;
  let phones = 0;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
  });
  afterAll(() => hub?.close());

  const newPhone = () => `+1415556${String(1000 + ++phones).slice(-4)}`;
  const texts = (ws: TestWorkspace, phone: string) =>
    hub
      .get(ConsoleSmsProvider)
      .outbox({ workspaceId: ws.id, to: phone })
      .map((s) => s.body);
  const textsAfter = (ws: TestWorkspace, phone: string, count: number) =>
    waitFor(`${count} texts to ${phone}`, async () => (texts(ws, phone).length >= count ? texts(ws, phone) : null));

  async function clientTexts(ws: TestWorkspace, from: string, body: string) {
    hub.manualClock.advance(60_000);
    return hub.get(InboundSmsService).receive(ws.id, { provider: 'http', providerMessageId: `seed-texts-${++sms}`, from, to: '+15005550006', body });
  }

  async function optedInContact(ws: TestWorkspace, phone: string): Promise<string> {
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'seed-texts' } });
    return contact.id;
  }

  const statesOf = async (ws: TestWorkspace, contactId: string) => (await hub.get(ConsentService).statesFor(ws.id, [contactId])).get(contactId);

  describe('default texts', () => {
    it('answers Spanish keywords in Spanish and English keywords with the seed-003 program texts', async () => {
      const ws = await hub.createWorkspace({ name: 'Spanish', brandName: 'Acme Optics' });
      const ana = newPhone();
      await optedInContact(ws, ana);
      await clientTexts(ws, ana, 'AYUDA');
      expect(await textsAfter(ws, ana, 1)).toEqual([HELP_ES]);
      await clientTexts(ws, ana, 'PARAR');
      expect(await textsAfter(ws, ana, 2)).toEqual([HELP_ES, PROGRAM_STOP_ES]);

      const bo = newPhone();
      await optedInContact(ws, bo);
      await clientTexts(ws, bo, 'STOP');
      expect(await textsAfter(ws, bo, 1)).toEqual([PROGRAM_STOP]);
    });

    it('after STOP in a conversation a new message asks for YES again (seed 004) and resubscribes nothing until YES, which opts in to conversations only', async () => {
      const ws = await hub.createWorkspace({ name: 'Optics', brandName: 'Acme Optics', optInMode: 'consent' });
      const agent = await hub.http().post('/v1/agents').set('Authorization', `Bearer ${ws.adminKey}`).send({ displayName: 'Dana Reyes' }).expect(201);
      const dana = `Bearer ${agent.body.key as string}`;
      const kim = newPhone();
      const contactId = await optedInContact(ws, kim);
      const started = await hub.http().post('/v1/conversations').set('Authorization', dana).set('Idempotency-Key', 'k-1').send({ phone: kim, body: 'Your glasses are ready.' }).expect(200);
      const conversationId = started.body.conversation.id as string;
      await textsAfter(ws, kim, 1);

      await clientTexts(ws, kim, 'STOP');
      expect((await textsAfter(ws, kim, 2))[1]).toBe(CONVERSATION_STOP);
      expect(await statesOf(ws, contactId)).toEqual({ marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' });

      // A new message: held, and the client-initiated request goes out in the owner's name.
      const again = await clientTexts(ws, kim, 'Can I still pick them up on Monday?');
      expect(again.message.status).toBe('held');
      expect((await textsAfter(ws, kim, 3))[2]).toBe(CLIENT_REQUEST('Dana Reyes'));
      expect(await statesOf(ws, contactId)).toEqual({ marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' });
      // A second message before YES is held too, without a second request.
      const second = await clientTexts(ws, kim, 'Hello?');
      expect(second.message.status).toBe('held');

      await clientTexts(ws, kim, 'YES');
      expect((await textsAfter(ws, kim, 4)).slice(3)).toEqual([OPTED_IN]);
      expect(await statesOf(ws, contactId)).toEqual({ marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_in' });
      const [ledger] = await hub.dataSource.query(
        `SELECT source, evidence FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 AND state = 'opted_in' ORDER BY seq DESC LIMIT 1`,
        [ws.id, contactId],
      );
      expect(ledger).toEqual(expect.objectContaining({ source: 'sms_keyword', evidence: expect.objectContaining({ text: 'YES', afterOptOut: true, requestText: CLIENT_REQUEST('Dana Reyes') }) }));
      // What they wrote reaches the agent, with the opted-in notice.
      const timeline = await waitFor('the released texts in the conversation', async () => {
        const res = await hub.http().get(`/v1/conversations/${conversationId}/messages`).set('Authorization', dana).expect(200);
        const entries = res.body.data as { body: string | null; held: boolean; noticeCode: string | null }[];
        return entries.some((e) => e.body === 'Hello?' && !e.held) && entries.some((e) => e.noticeCode === 'opted_in') ? entries : null;
      });
      expect(timeline.filter((e) => e.noticeCode === 'opted_in').map((e) => e.body)).toEqual([AGENT_OPTED_IN]);
      // Marketing stays refused: the YES answered a request to text, not a marketing opt-in.
      const check = await hub.http().post('/v1/messages/check').set('Authorization', `Bearer ${ws.adminKey}`).send({ contactId, type: 'marketing' }).expect(200);
      expect([check.body.allowed, check.body.reason]).toEqual([false, 'opted_out']);
    });

    it('a text the business writes first (held in consent mode) asks with the business wording, not the client-initiated one', async () => {
      const ws = await hub.createWorkspace({ name: 'Business first', brandName: 'Acme Optics', optInMode: 'consent' });
      const ivy = newPhone();
      const res = await hub
        .http()
        .post('/v1/messages')
        .set('Authorization', `Bearer ${ws.adminKey}`)
        .set('Idempotency-Key', 'biz-1')
        .send({ to: ivy, type: 'conversational', body: 'Acme Optics: your frames are in.' })
        .expect(202);
      await waitFor('the text to be held', async () => {
        const [row] = await hub.dataSource.query(`SELECT status FROM message WHERE id = $1`, [res.body.id]);
        return row?.status === 'held' || null;
      });
      expect(await textsAfter(ws, ivy, 1)).toEqual(['[Auto Message] Acme Optics is trying to reach you. To opt in, reply YES. To opt out, reply STOP.']);
    });

    it('lets a workspace change its texts, checking keys and placeholders (422 naming texts.<key>)', async () => {
      const ws = await hub.createWorkspace({ name: 'Custom', brandName: 'Acme Optics' });
      const auth = `Bearer ${ws.adminKey}`;
      const defaults = await hub.http().get('/v1/message-texts').set('Authorization', auth).expect(200);
      expect(defaults.body.texts.stop_confirmation).toEqual({ template: expect.stringContaining('You have been unsubscribed'), default: expect.any(String), customized: false });
      expect(defaults.body.texts.help_es.template).toContain('Ayuda en');

      const bad = await hub
        .http()
        .put('/v1/message-texts')
        .set('Authorization', auth)
        .send({ texts: { stop_confirmaton: 'x', help: '{{ workspace.brand }}: call us.', opt_in_request: 'Reply Y please' } })
        .expect(422);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['texts.help', 'texts.help', 'texts.opt_in_request', 'texts.stop_confirmaton']);
      await hub.http().put('/v1/message-texts').set('Authorization', auth).send({ helpPreferenceLink: 'yes' }).expect(400);
      await hub.http().put('/v1/message-texts').set('Authorization', `Bearer ${await ws.key('support')}`).send({ texts: {} }).expect(403);

      const saved = await hub
        .http()
        .put('/v1/message-texts')
        .set('Authorization', auth)
        .send({ texts: { stop_confirmation: '{{ workspace.brandName }}: no more texts from us. Reply HELP for help.' } })
        .expect(200);
      expect(saved.body.texts.stop_confirmation.customized).toBe(true);
      const lee = newPhone();
      await optedInContact(ws, lee);
      await clientTexts(ws, lee, 'STOP');
      expect(await textsAfter(ws, lee, 1)).toEqual(['Acme Optics: no more texts from us. Reply HELP for help.']);
      const restored = await hub.http().put('/v1/message-texts').set('Authorization', auth).send({ texts: { stop_confirmation: null } }).expect(200);
      expect(restored.body.texts.stop_confirmation.customized).toBe(false);
    });
  });

  describe('preference links', () => {
    it('puts the link on the contact, in HELP when the workspace asks, and in any template as preference_url; the link opens the page', async () => {
      const ws = await hub.createWorkspace({ name: 'Prefs', brandName: 'Acme Optics' });
      const auth = `Bearer ${ws.adminKey}`;
      const sam = newPhone();
      const contactId = await optedInContact(ws, sam);

      const contact = await hub.http().get(`/v1/contacts/${contactId}`).set('Authorization', auth).expect(200);
      const url = contact.body.preferenceUrl as string;
      expect(url).toMatch(/^https:\/\/hub\.optline\.test\/p\/[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}$/);
      const page = await hub.http().get(new URL(url).pathname).expect(200);
      expect(page.text).toContain('Acme Optics');

      // HELP without and with the setting.
      await clientTexts(ws, sam, 'HELP');
      expect((await textsAfter(ws, sam, 1))[0]).not.toContain('/p/');
      const patched = await hub.http().patch('/v1/workspace').set('Authorization', auth).send({ helpPreferenceLink: true }).expect(200);
      expect(patched.body.helpPreferenceLink).toBe(true);
      await clientTexts(ws, sam, 'HELP');
      expect((await textsAfter(ws, sam, 2))[1]).toBe(`Acme Optics: Help at help@acme.test. Msg&data rates may apply. Reply STOP to cancel. Manage your texts: ${url}`);

      // Any template: an API send.
      await hub
        .http()
        .post('/v1/messages')
        .set('Authorization', auth)
        .set('Idempotency-Key', 'pref-1')
        .send({ contactId, type: 'transactional', template: 'Acme Optics: your order shipped. Change what you get: {{ preference_url }}' })
        .expect(202);
      expect((await textsAfter(ws, sam, 3))[2]).toBe(`Acme Optics: your order shipped. Change what you get: ${url}`);
    });

    it('lets a conversation text use preference_url', async () => {
      const ws = await hub.createWorkspace({ name: 'Conv prefs', brandName: 'Acme Optics', optInMode: 'consent' });
      const admin = `Bearer ${ws.adminKey}`;
      const agent = await hub.http().post('/v1/agents').set('Authorization', admin).send({ displayName: 'Dana Reyes' }).expect(201);
      await hub
        .http()
        .put('/v1/conversation-settings')
        .set('Authorization', admin)
        .send({ texts: { optInRequest: '{{ agent.name }} of {{ workspace.brandName }} would like to text you. Reply YES or STOP, or choose here: {{ preference_url }}' } })
        .expect(200);
      const pat = newPhone();
      const started = await hub.http().post('/v1/conversations').set('Authorization', `Bearer ${agent.body.key}`).set('Idempotency-Key', 'pref-conv').send({ phone: pat, body: 'Hello Pat' }).expect(200);
      const contactId = started.body.conversation.contact?.id ?? started.body.conversation.contactId;
      const url = (await hub.http().get(`/v1/contacts/${contactId}`).set('Authorization', admin).expect(200)).body.preferenceUrl;
      expect((await textsAfter(ws, pat, 1))[0]).toBe(`Dana Reyes of Acme Optics would like to text you. Reply YES or STOP, or choose here: ${url}`);
    });

    it('lets a flow template use preference_url (validated, simulated and sent)', async () => {
      const ws = await hub.createWorkspace({ name: 'Flow prefs', brandName: 'Acme Optics' });
      const auth = `Bearer ${ws.adminKey}`;
      const document = {
        name: 'Shipped with a preference link',
        messageType: 'transactional',
        trigger: { events: ['order.shipped'] },
        reentry: { mode: 'always' },
        steps: [{ id: 'notice', type: 'send', template: '{{ workspace.brandName }}: order {{ event.orderName }} shipped. Your texts: {{ preference_url }} Reply STOP to opt out.' }],
      };
      await hub.http().post('/v1/flows/validate').set('Authorization', auth).send({ ...document, steps: [{ ...document.steps[0], template: '{{ preference_url.x }}' }] }).expect(422);
      const created = await hub.http().post('/v1/flows').set('Authorization', auth).send(document);
      expect([created.status, created.body.details]).toEqual([201, undefined]);
      await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', auth).expect(200);
      const ray = newPhone();
      const contactId = await optedInContact(ws, ray);
      await new FlowKit(hub, ws).emit([{ type: 'order.shipped', dedupeKey: 'ship-1', contact: { phone: ray }, data: { orderName: '#1001' } }]);
      const url = (await hub.http().get(`/v1/contacts/${contactId}`).set('Authorization', auth).expect(200)).body.preferenceUrl;
      expect((await textsAfter(ws, ray, 1))[0]).toBe(`Acme Optics: order #1001 shipped. Your texts: ${url} Reply STOP to opt out.`);
      // The simulator shows the same link for a real contact.
      const simulated = await hub.http().post(`/v1/flows/${created.body.id}/simulate`).set('Authorization', auth).send({ contactId, event: { orderName: '#1001' } }).expect(200);
      expect(simulated.body.messages[0].body).toBe(`Acme Optics: order #1001 shipped. Your texts: ${url} Reply STOP to opt out.`);
    });
  });

  describe('flagged inbound review', () => {
    it('lists flagged texts (open/resolved, paged) and records who resolved each; opt_out is a consent act with the text as evidence', async () => {
      const ws = await hub.createWorkspace({ name: 'Review', brandName: 'Acme Optics' });
      const auth = `Bearer ${ws.adminKey}`;
      const support = `Bearer ${await ws.key('support')}`;
      const [tom, uma, vic] = [newPhone(), newPhone(), newPhone()];
      const tomId = await optedInContact(ws, tom);
      await optedInContact(ws, uma);
      await optedInContact(ws, vic);
      await clientTexts(ws, tom, "I'll stop by tomorrow to pick it up");
      await clientTexts(ws, uma, 'wrong number');
      await clientTexts(ws, vic, 'See you at 5');

      const open = await hub.http().get('/v1/inbound/flagged?status=open').set('Authorization', support).expect(200);
      expect(open.body.data.map((f: { body: string }) => f.body)).toEqual(['wrong number', "I'll stop by tomorrow to pick it up"]);
      expect(open.body.data[0]).toEqual(expect.objectContaining({ status: 'open', resolution: null, keyword: 'stop', phone: uma }));
      const first = await hub.http().get('/v1/inbound/flagged?limit=1').set('Authorization', support).expect(200);
      expect(first.body.data).toHaveLength(1);
      const next = await hub.http().get(`/v1/inbound/flagged?limit=1&cursor=${first.body.nextCursor}`).set('Authorization', support).expect(200);
      expect(next.body.data.map((f: { body: string }) => f.body)).toEqual(["I'll stop by tomorrow to pick it up"]);

      const tomText = open.body.data[1].id as string;
      const resolved = await hub
        .http()
        .post(`/v1/inbound/flagged/${tomText}/resolve`)
        .set('Authorization', support)
        .send({ action: 'opt_out', note: 'Called: they want no more texts' })
        .expect(200);
      expect(resolved.body).toEqual(
        expect.objectContaining({
          status: 'resolved',
          resolution: expect.objectContaining({ action: 'opt_out', note: 'Called: they want no more texts', resolvedBy: expect.stringMatching(/^api_key:/), consentEventIds: expect.any(Array) }),
        }),
      );
      expect(resolved.body.resolution.consentEventIds.length).toBeGreaterThan(0);
      expect(await statesOf(ws, tomId)).toEqual({ marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' });
      const [entry] = await hub.dataSource.query(`SELECT source, evidence, actor FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 ORDER BY seq DESC LIMIT 1`, [ws.id, tomId]);
      expect(entry).toEqual({
        source: 'api',
        evidence: expect.objectContaining({ reviewOf: tomText, text: "I'll stop by tomorrow to pick it up", note: 'Called: they want no more texts' }),
        actor: expect.stringMatching(/^api_key:/),
      });

      // Once per text; unknown ids, other workspaces' texts and bad input are refused clearly.
      expect((await hub.http().post(`/v1/inbound/flagged/${tomText}/resolve`).set('Authorization', support).send({ action: 'dismiss' }).expect(409)).body.code).toBe('already_resolved');
      await hub.http().post(`/v1/inbound/flagged/${tomText}/resolve`).set('Authorization', support).send({ action: 'delete' }).expect(400);
      await hub.http().post('/v1/inbound/flagged/00000000-0000-4000-8000-000000000000/resolve').set('Authorization', support).send({ action: 'dismiss' }).expect(404);
      await hub.http().get('/v1/inbound/flagged?status=closed').set('Authorization', support).expect(400);
      const other = await hub.createWorkspace({ name: 'Other' });
      await hub.http().post(`/v1/inbound/flagged/${tomText}/resolve`).set('Authorization', `Bearer ${other.adminKey}`).send({ action: 'dismiss' }).expect(404);

      const dismissed = await hub.http().post(`/v1/inbound/flagged/${open.body.data[0].id}/resolve`).set('Authorization', auth).send({ action: 'dismiss' }).expect(200);
      expect(dismissed.body.resolution).toEqual(expect.objectContaining({ action: 'dismiss', note: null, consentEventIds: [] }));
      expect((await hub.http().get('/v1/inbound/flagged?status=open').set('Authorization', support).expect(200)).body.data).toEqual([]);
      expect((await hub.http().get('/v1/inbound/flagged?status=resolved').set('Authorization', support).expect(200)).body.data).toHaveLength(2);
    });
  });
});

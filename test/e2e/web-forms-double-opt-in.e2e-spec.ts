import { InboundSmsService } from '@optline/messaging';
import { settle } from '../../libs/flows/testing/flow-e2e-kit';
import { TestHub, TestWorkspace } from '../utils/test-hub';

const SUCCESS = 'Thanks! Reply YES to the text we just sent to confirm.';
const INVITE = 'Acme Alerts would like to send you offers and updates by text. Reply Y Yes N No. MSG&DataRatesMayApply. Msg freq varies. Reply STOP to cancel, HELP for help.';

const form = {
  key: 'join',
  title: 'Get our texts',
  fields: [{ name: 'firstName', label: 'First name' }],
  consentTypes: ['marketing'],
  termsUrl: 'https://acme.test/sms-terms',
  privacyUrl: 'https://acme.test/privacy',
  successText: SUCCESS,
  allowedOrigins: ['https://acme.test'],
};

describe('web forms with double opt-in: set up on enable, a text only for a ticked box, a success page that tells the truth', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set('2026-03-10T16:00:00Z');
  });
  afterAll(() => hub.close());

  async function enabled(): Promise<{ ws: TestWorkspace; formId: string }> {
    const ws = await hub.createWorkspace({ brandName: 'Acme Alerts' });
    const auth = await ws.auth();
    await hub.http().put('/v1/plugins/web-forms').set('Authorization', auth).send({ config: { forms: [form] } }).expect(200);
    await hub.http().post('/v1/plugins/web-forms/enable').set('Authorization', auth).expect(200);
    const forms = await hub.http().get('/v1/forms').set('Authorization', auth).expect(200);
    return { ws, formId: forms.body.data[0].formId };
  }

  const submit = async (formId: string, fields: Record<string, string>) => {
    const res = await hub.http().post(`/f/${formId}`).type('form').send(fields).expect(200);
    await settle(hub);
    return /<p[^>]*>([^<]*)<\/p>/.exec(res.text.slice(res.text.indexOf('<main')))?.[1] ?? res.text;
  };
  const textsTo = (ws: TestWorkspace, phone: string) =>
    hub.dataSource.query(`SELECT m.body, m.status, m.reason FROM message m JOIN contact c ON c.id = m.contact_id WHERE m.workspace_id = $1 AND c.phone = $2 AND m.direction = 'outbound' ORDER BY m.created_at`, [
      ws.id,
      phone,
    ]);
  const reply = async (ws: TestWorkspace, from: string, body: string, id: string) => {
    await hub.get(InboundSmsService).receive(ws.id, { provider: 'http', providerMessageId: id, from, to: '+18005550100', body });
    await settle(hub);
  };

  it('enabling creates and activates the double opt-in flow once', async () => {
    const { ws } = await enabled();
    const flows = await hub.http().get('/v1/flows').set('Authorization', await ws.auth()).expect(200);
    const doubleOptIn = flows.body.data.filter((f: { templateKey: string }) => f.templateKey === 'optin-website-double');
    expect(doubleOptIn.map((f: { status: string }) => f.status)).toEqual(['active']);
    const [installation] = await hub.dataSource.query(`SELECT state FROM plugin_installation WHERE workspace_id = $1`, [ws.id]);
    expect(installation.state.doubleOptInFlow).toEqual({ id: doubleOptIn[0].id, status: 'active', changed: 'created' });

    // Enabling again (or saving the config while enabled) finds it: still one flow.
    await hub.http().post('/v1/plugins/web-forms/enable').set('Authorization', await ws.auth()).expect(200);
    await hub.http().put('/v1/plugins/web-forms').set('Authorization', await ws.auth()).send({ config: { forms: [form] } }).expect(200);
    const again = await hub.http().get('/v1/flows').set('Authorization', await ws.auth()).expect(200);
    expect(again.body.data.filter((f: { templateKey: string }) => f.templateKey === 'optin-website-double')).toHaveLength(1);
  });

  it('texts nobody who left the box unticked, and says so', async () => {
    const { ws, formId } = await enabled();
    const page = await submit(formId, { phone: '+14155550140', firstName: 'Una' });
    expect(page).toBe('Thanks, we have your details. You did not tick the box to get texts, so we will not text you.');
    expect(await textsTo(ws, '+14155550140')).toEqual([]);
    expect(await hub.dataSource.query(`SELECT id FROM flow_run WHERE workspace_id = $1`, [ws.id])).toEqual([]);
    const json = await hub.http().post(`/v1/forms/${formId}/submissions`).set('Origin', 'https://acme.test').send({ phone: '+14155550141', consent: false }).expect(202);
    expect(json.body).toMatchObject({ consentRequested: false, sms: 'no_consent', message: expect.stringContaining('will not text you') });
    await settle(hub);
    expect(await textsTo(ws, '+14155550141')).toEqual([]);
  });

  it('one text for a ticked box; the page then says what a second submission, a YES and a STOP change', async () => {
    const { ws, formId } = await enabled();
    const phone = '+14155550142';
    expect(await submit(formId, { phone, firstName: 'Ada', consent: 'yes' })).toBe(SUCCESS);
    expect(await textsTo(ws, phone)).toEqual([{ body: INVITE, status: 'sent', reason: null }]);

    expect(await submit(formId, { phone, firstName: 'Ada', consent: 'yes' })).toBe('We already sent you a text to confirm. Reply YES to that text to start getting our messages.');
    expect(await textsTo(ws, phone)).toHaveLength(1);

    await reply(ws, phone, 'YES', 'in-yes-142');
    expect(await submit(formId, { phone, consent: 'yes' })).toBe('You are already subscribed to our texts. There is nothing else to do.');

    const stopped = '+14155550143';
    await reply(ws, stopped, 'STOP', 'in-stop-143');
    expect(await submit(formId, { phone: stopped, consent: 'yes' })).toBe('You asked us earlier to stop texting you, so we did not send a text. To subscribe again, text START to our number.');
    // The flow may try; the gateway refuses an opt-in request after STOP.
    expect((await textsTo(ws, stopped)).filter((m: { body: string }) => m.body === INVITE)).toEqual([{ body: INVITE, status: 'blocked', reason: 'opted_out' }]);
  });

  it('says no text was sent while someone has paused the double opt-in flow', async () => {
    const { ws, formId } = await enabled();
    const [flow] = await hub.dataSource.query(`SELECT id FROM flow WHERE workspace_id = $1 AND template_key = 'optin-website-double'`, [ws.id]);
    await hub.http().post(`/v1/flows/${flow.id}/pause`).set('Authorization', await ws.auth()).expect(200);
    expect(await submit(formId, { phone: '+14155550144', consent: 'yes' })).toBe(
      'Thanks, we have your request. Confirmation texts are switched off right now, so no text was sent; we will ask you to confirm later.',
    );
    expect(await textsTo(ws, '+14155550144')).toEqual([]);
    // Enabling again leaves a flow someone paused alone.
    await hub.http().post('/v1/plugins/web-forms/enable').set('Authorization', await ws.auth()).expect(200);
    expect((await hub.dataSource.query(`SELECT status FROM flow WHERE id = $1`, [flow.id]))[0].status).toBe('paused');
  });
});

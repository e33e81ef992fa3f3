import { FlowKit } from '../../libs/flows/testing/flow-e2e-kit';
import { TestHub } from '../utils/test-hub';

/** Noon in Chicago: inside every sending window. */
const NOON_CHICAGO = new Date('2026-03-10T17:00:00Z');

const cartDocument = () => ({
  name: 'Cart nudge',
  messageType: 'marketing',
  trigger: { events: ['checkout.updated'], correlationKey: 'checkoutToken' },
  reentry: { mode: 'never' },
  exits: [{ event: 'order.created', correlationKey: 'checkoutToken' }],
  steps: [
    { id: 'wait-1h', type: 'wait', duration: 'PT1H' },
    { id: 'nudge', type: 'send', template: '{{ workspace.brandName }}: your cart is waiting: {{ event.checkoutUrl }} Reply STOP to opt out.' },
  ],
});

describe('flows: documents, validation, versions and lifecycle', () => {
  let hub: TestHub;
  let kit: FlowKit;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(NOON_CHICAGO);
    kit = new FlowKit(hub, await hub.createWorkspace());
  });
  afterAll(() => hub.close());

  it('creates a draft from a JSON document, activates it, lists and reads it', async () => {
    const auth = await kit.auth('marketing');
    const created = await hub.http().post('/v1/flows').set('Authorization', auth).send(cartDocument()).expect(201);
    expect(created.body).toMatchObject({ name: 'Cart nudge', status: 'draft', activeVersion: null, latestVersion: 1, version: 1 });
    expect(created.body.definition.steps.map((s: { id: string }) => s.id)).toEqual(['wait-1h', 'nudge']);

    const active = await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', auth).expect(200);
    expect(active.body).toMatchObject({ status: 'active', activeVersion: 1, hasDraftChanges: false });
    const list = await hub.http().get('/v1/flows?status=active').set('Authorization', await kit.auth('support')).expect(200);
    expect(list.body.data).toEqual([expect.objectContaining({ id: created.body.id, liveRuns: 0 })]);
    const one = await hub.http().get(`/v1/flows/${created.body.id}`).set('Authorization', await kit.auth('operations')).expect(200);
    expect(one.body.versions).toEqual([expect.objectContaining({ version: 1 })]);
  });

  it('answers 400 naming the step field the form rules reject', async () => {
    const doc = cartDocument() as any;
    doc.steps[1].template = '';
    doc.steps[0].duration = 'one hour';
    doc.steps.push({ id: 'oops', type: 'teleport' });
    const res = await hub.http().post('/v1/flows').set('Authorization', await kit.auth()).send(doc).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'steps[0].duration', message: 'step "wait-1h": duration must be a positive ISO-8601 duration of at most P2Y, such as PT1H (a wait needs duration or until)' },
        { field: 'steps[1].template', message: 'step "nudge": template is required for a send step: a Liquid template of 1 to 1600 characters' },
        expect.objectContaining({ field: 'steps[2].type' }),
      ]),
    );
    const empty = await hub.http().post('/v1/flows').set('Authorization', await kit.auth()).send({}).expect(400);
    expect(empty.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['name', 'messageType', 'trigger', 'reentry', 'steps']));
  });

  it('answers 422 for graph problems, unknown variables and the compliance lint, naming step and field', async () => {
    const doc = cartDocument() as any;
    doc.steps[0].next = 'later';
    doc.steps[1].template = 'Hi {{ contact.fristName }}, your cart: {{ event.checkoutUrl }}';
    doc.steps[1].next = 'done';
    doc.steps.push({ id: 'orphan', type: 'send', template: 'never sent' }, { id: 'done', type: 'exit' });
    const res = await hub.http().post('/v1/flows').set('Authorization', await kit.auth()).send(doc).expect(422);
    expect(res.body.code).toBe('flow_invalid');
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'steps[0].next', step: 'wait-1h', message: 'step "wait-1h": next goes to "later", which is not a step of this flow' },
        { field: 'steps[1].template', step: 'nudge', message: 'step "nudge": unknown template variable "contact.fristName"' },
      ]),
    );

    doc.steps[0].next = 'nudge';
    doc.steps[1].template = 'Your cart is waiting: {{ event.checkoutUrl }}';
    const lint = await hub.http().post('/v1/flows/validate').set('Authorization', await kit.auth('support')).send(doc).expect(422);
    expect(lint.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'steps[2]', step: 'orphan', message: expect.stringContaining('unreachable') }),
        expect.objectContaining({ field: 'steps[1].template', step: 'nudge', message: expect.stringContaining('must name the sender') }),
        expect.objectContaining({ field: 'steps[1].template', step: 'nudge', message: expect.stringContaining('opt-out language') }),
      ]),
    );
    // Nothing was saved.
    const list = await hub.http().get('/v1/flows').set('Authorization', await kit.auth()).expect(200);
    expect(list.body.data.map((f: { name: string }) => f.name)).toEqual(['Cart nudge']);
  });

  it('keeps running runs on their version when an active flow is edited', async () => {
    kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const flow = await hub.http().post('/v1/flows').set('Authorization', auth).send({ ...cartDocument(), name: 'Versioned cart' }).expect(201);
    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', auth).expect(200);
    const dana = await kit.contact('+13125550150', { firstName: 'Dana', timeZone: 'America/Chicago' });
    await kit.optIn(dana.id);
    await kit.emit([{ type: 'checkout.updated', dedupeKey: 'v-1', contact: { phone: dana.phone! }, correlation: { checkoutToken: 'tok-v1' }, data: { checkoutUrl: 'https://acme.test/c/v1' } }]);

    const edited = cartDocument();
    edited.name = 'Versioned cart';
    edited.steps[1].template = '{{ workspace.brandName }}: NEW TEXT {{ event.checkoutUrl }} Reply STOP to opt out.';
    const v2 = await hub.http().put(`/v1/flows/${flow.body.id}`).set('Authorization', auth).send(edited).expect(200);
    expect(v2.body).toMatchObject({ status: 'active', activeVersion: 1, latestVersion: 2, hasDraftChanges: true });
    // The same document saved again (a second click, Save then Activate at once) is no new version.
    const again = await hub.http().put(`/v1/flows/${flow.body.id}`).set('Authorization', auth).send(edited).expect(200);
    expect(again.body).toMatchObject({ latestVersion: 2, hasDraftChanges: true });
    const activated = await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', auth).expect(200);
    expect(activated.body).toMatchObject({ activeVersion: 2, latestVersion: 2 });

    const lee = await kit.contact('+13125550151', { firstName: 'Lee', timeZone: 'America/Chicago' });
    await kit.optIn(lee.id);
    await kit.emit([{ type: 'checkout.updated', dedupeKey: 'v-2', contact: { phone: lee.phone! }, correlation: { checkoutToken: 'tok-v2' }, data: { checkoutUrl: 'https://acme.test/c/v2' } }]);
    await kit.advance('PT1H');

    expect((await kit.outbound(dana.id)).map((m) => m.body)).toEqual(['Acme Alerts: your cart is waiting: https://acme.test/c/v1 Reply STOP to opt out.']);
    expect((await kit.outbound(lee.id)).map((m) => m.body)).toEqual(['Acme Alerts: NEW TEXT https://acme.test/c/v2 Reply STOP to opt out.']);
  });

  it('pauses (no new runs, running ones finish) and archives (live runs end)', async () => {
    kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const flow = await hub.http().post('/v1/flows').set('Authorization', auth).send({ ...cartDocument(), name: 'Paused cart' }).expect(201);
    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', auth).expect(200);
    const sam = await kit.contact('+13125550152', { timeZone: 'America/Chicago' });
    const ari = await kit.contact('+13125550153', { timeZone: 'America/Chicago' });
    await kit.optIn(sam.id);
    await kit.optIn(ari.id);
    const checkout = (contact: typeof sam, token: string) => ({ type: 'checkout.updated' as const, dedupeKey: token, contact: { phone: contact.phone! }, correlation: { checkoutToken: token }, data: { checkoutUrl: `https://acme.test/c/${token}` } });

    await kit.emit([checkout(sam, 'p-1')]);
    await hub.http().post(`/v1/flows/${flow.body.id}/pause`).set('Authorization', auth).expect(200);
    await kit.emit([checkout(ari, 'p-2')]);
    expect((await kit.runsOf(flow.body.id)).map((r) => r.contact_id)).toEqual([sam.id]);
    const enrolPaused = await hub.http().post(`/v1/flows/${flow.body.id}/enroll`).set('Authorization', auth).send({ contactIds: [ari.id] }).expect(409);
    expect(enrolPaused.body.code).toBe('flow_not_active');
    await kit.advance('PT1H');
    expect((await kit.outbound(sam.id)).map((m) => [m.body, m.status])).toEqual([['Acme Alerts: your cart is waiting: https://acme.test/c/p-1 Reply STOP to opt out.', 'sent']]);

    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', auth).expect(200);
    await kit.emit([checkout(ari, 'p-3')]);
    const archived = await hub.http().post(`/v1/flows/${flow.body.id}/archive`).set('Authorization', auth).expect(200);
    expect(archived.body).toMatchObject({ status: 'archived', endedRuns: 1 });
    expect((await kit.runsOf(flow.body.id)).map((r) => [r.contact_id, r.status, r.exit_reason])).toEqual([
      [sam.id, 'completed', null],
      [ari.id, 'exited', 'flow archived'],
    ]);
    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', auth).expect(409);
    await kit.advance('PT2H');
    expect(await kit.outbound(ari.id)).toEqual([]);
  });

  it('lists built-in templates and instantiates one', async () => {
    const list = await hub.http().get('/v1/flow-templates').set('Authorization', await kit.auth('support')).expect(200);
    expect(list.body.data.length).toBeGreaterThanOrEqual(19);
    expect(list.body.data.find((t: { key: string }) => t.key === 'appointment-reminder')).toMatchObject({ messageType: 'transactional', triggerEvents: ['appointment.booked', 'appointment.rescheduled'] });
    const created = await hub.http().post('/v1/flows/from-template').set('Authorization', await kit.auth('marketing')).send({ templateKey: 'welcome-series', name: 'Our welcome' }).expect(201);
    expect(created.body).toMatchObject({ name: 'Our welcome', templateKey: 'welcome-series', status: 'draft' });
    await hub.http().post('/v1/flows/from-template').set('Authorization', await kit.auth('marketing')).send({ templateKey: 'no-such-template' }).expect(404);
    await hub.http().get('/v1/flow-templates/no-such-template').set('Authorization', await kit.auth('marketing')).expect(404);
  });

  it("gives another workspace a 404 for a flow and a run, and lets roles without flows:write only read", async () => {
    const flow = await hub.http().post('/v1/flows').set('Authorization', await kit.auth()).send({ ...cartDocument(), name: 'Private' }).expect(201);
    const other = new FlowKit(hub, await hub.createWorkspace({ name: 'Other' }));
    await hub.http().get(`/v1/flows/${flow.body.id}`).set('Authorization', await other.auth()).expect(404);
    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', await other.auth()).expect(404);
    await hub.http().post(`/v1/flows/${flow.body.id}/simulate`).set('Authorization', await other.auth()).send({}).expect(404);
    const [run] = await hub.dataSource.query(`SELECT id FROM flow_run WHERE workspace_id = $1 LIMIT 1`, [kit.ws.id]);
    await hub.http().get(`/v1/runs/${run.id}`).set('Authorization', await other.auth()).expect(404);
    const denied = await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', await kit.auth('support')).expect(403);
    expect(denied.body.code).toBe('permission_denied');
  });
});

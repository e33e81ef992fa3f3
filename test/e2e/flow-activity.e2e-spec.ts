import { InboundSmsService } from '@optline/messaging';
import { FlowKit, settle } from '../../libs/flows/testing/flow-e2e-kit';
import { TestHub } from '../utils/test-hub';

/** 10:00 in Chicago: inside the sending window. */
const START = new Date('2026-03-10T16:00:00Z');

const OFFER = {
  name: 'Spring offer',
  messageType: 'marketing',
  trigger: { events: [] },
  reentry: { mode: 'never' },
  steps: [{ id: 'offer', type: 'send', template: '{{ workspace.brandName }}: 20% off today: {{ event.url | link }} Reply STOP to opt out.' }],
};

describe('GET /v1/flow-activity: texts sent, clicks and opt-outs per flow, from the message log', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(async () => hub?.close());

  it("counts what each flow's texts did over the last 7 days, in the workspace only", async () => {
    hub.manualClock.set(START);
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const admin = await kit.auth();
    const flow = (await kit.http().post('/v1/flows').set('Authorization', admin).send(OFFER).expect(201)).body;
    await kit.http().post(`/v1/flows/${flow.id}/activate`).set('Authorization', admin).expect(200);
    const other = (await kit.http().post('/v1/flows').set('Authorization', admin).send({ ...OFFER, name: 'Quiet one', trigger: { events: ['order.created'] } }).expect(201)).body;

    // Three people: two opted in, one not (the gateway blocks that text: it did not go out).
    const [ana, ben, cy] = [await kit.contact('+13125550101'), await kit.contact('+13125550102'), await kit.contact('+13125550103')];
    await kit.optIn(ana.id);
    await kit.optIn(ben.id);
    await kit.http().post(`/v1/flows/${flow.id}/enroll`).set('Authorization', admin).send({ contactIds: [ana.id, ben.id, cy.id], data: { url: 'https://shop.example/spring' } }).expect(200);
    await settle(hub);
    const texts = await Promise.all([ana, ben, cy].map((c) => kit.outbound(c.id)));
    const [anaRun] = await kit.runsOf(flow.id);
    expect((await kit.run(anaRun.id)).flowVersion).toBe(1); // the run page draws the version the run executes
    expect(texts.map((t) => t.map((m) => m.status))).toEqual([['sent'], ['sent'], ['blocked']]);

    // Ana clicks her link twice, Ben once; Ben then replies STOP.
    const code = (body: string) => /\/l\/([A-Za-z0-9]+)/.exec(body)![1];
    await kit.http().get(`/l/${code(texts[0][0].body)}`).expect(302);
    await kit.http().get(`/l/${code(texts[0][0].body)}`).expect(302);
    await kit.http().get(`/l/${code(texts[1][0].body)}`).expect(302);
    await kit.advance('PT1H');
    await hub.get(InboundSmsService).receive(kit.ws.id, { provider: 'http', providerMessageId: 'stop-ben', from: '+13125550102', to: '+18005550100', body: 'STOP' });
    await settle(hub);

    // The list names each flow's trigger events (of its current version).
    const list = (await kit.http().get('/v1/flows').set('Authorization', admin).expect(200)).body.data;
    expect(list.map((f: { name: string; triggerEvents: string[] }) => [f.name, f.triggerEvents]).sort()).toEqual([['Quiet one', ['order.created']], ['Spring offer', []]]);

    const activity = (await kit.http().get('/v1/flow-activity').set('Authorization', await kit.auth('support')).expect(200)).body;
    expect(activity.data).toEqual([{ flowId: flow.id, sent: 2, clicks: 3, optOuts: 1 }]);
    expect(activity.data.some((a: { flowId: string }) => a.flowId === other.id)).toBe(false);

    // Another workspace sees none of it.
    const elsewhere = await hub.createWorkspace();
    expect((await kit.http().get('/v1/flow-activity').set('Authorization', await elsewhere.auth()).expect(200)).body.data).toEqual([]);

    // Eight days later they are out of the default window, still inside a 30-day one.
    await kit.advance('P8D');
    expect((await kit.http().get('/v1/flow-activity').set('Authorization', admin).expect(200)).body.data).toEqual([]);
    expect((await kit.http().get('/v1/flow-activity?days=30').set('Authorization', admin).expect(200)).body.data).toEqual([{ flowId: flow.id, sent: 2, clicks: 3, optOuts: 1 }]);

    const bad = await kit.http().get('/v1/flow-activity?days=0').set('Authorization', admin).expect(400);
    expect(JSON.stringify(bad.body)).toContain('days must be between 1 and 90');
  });

  it('GET /v1/flows/:id?version= answers that saved version (the builder compares two); unknown 404, malformed 400', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const admin = await kit.auth();
    const flow = (await kit.http().post('/v1/flows').set('Authorization', admin).send(OFFER).expect(201)).body;
    const changed = { ...OFFER, steps: [{ ...OFFER.steps[0], template: `${OFFER.steps[0].template} Ends Sunday.` }] };
    await kit.http().put(`/v1/flows/${flow.id}`).set('Authorization', admin).send(changed).expect(200);

    const v1 = (await kit.http().get(`/v1/flows/${flow.id}?version=1`).set('Authorization', admin).expect(200)).body;
    const latest = (await kit.http().get(`/v1/flows/${flow.id}`).set('Authorization', admin).expect(200)).body;
    expect([v1.version, v1.definition.steps[0].template]).toEqual([1, OFFER.steps[0].template]);
    expect([latest.version, latest.definition.steps[0].template]).toEqual([2, changed.steps[0].template]);
    expect(latest.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]); // newest first

    await kit.http().get(`/v1/flows/${flow.id}?version=3`).set('Authorization', admin).expect(404);
    const bad = await kit.http().get(`/v1/flows/${flow.id}?version=first`).set('Authorization', admin).expect(400);
    expect(JSON.stringify(bad.body)).toContain('version must be a version number');
    // Another workspace cannot read it by version either.
    const elsewhere = await hub.createWorkspace();
    await kit.http().get(`/v1/flows/${flow.id}?version=1`).set('Authorization', await elsewhere.auth()).expect(404);
  });
});

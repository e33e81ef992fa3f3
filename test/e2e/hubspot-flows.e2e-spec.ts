import { ManualClock } from '@optline/core';
import { FlowMaintenance } from '@optline/flows';
import { InboundSmsService } from '@optline/messaging';
import { HubspotClientFactory } from '@optline/plugin-hubspot';
import { FakeHubspotCrm, hubspotFixture } from '../fakes/hubspot-crm.fake';
import { HubspotScenario, OPT_OUT_PROPERTY } from '../fakes/hubspot-harness';
import { pollUntil } from '../utils/wait';
import { TestHub } from '../utils/test-hub';

const DAY = 24 * 60 * 60 * 1000;
/** Tuesday 24 Nov 2026, 11:00 in New York (the fixture contact's 212 number): inside every send window. */
const START = '2026-11-24T16:00:00.000Z';
const DANA = '208114730058';
const DANA_PHONE = '+12125550164';

type HubspotEvent = Record<string, unknown>;

const welcomeFlow = {
  name: 'HubSpot welcome',
  messageType: 'marketing',
  trigger: { events: ['contact.created'] },
  reentry: { mode: 'never' },
  steps: [
    { id: 'welcome', type: 'send', template: '{{ workspace.brandName }}: Welcome, {{ contact.firstName | default: "friend" }}! Msg freq varies. Reply HELP for help, STOP to opt out.' },
    { id: 'wait-2d', type: 'wait', duration: 'P2D' },
    { id: 'tips', type: 'send', template: '{{ workspace.brandName }}: Tip - reply to any text to reach our team. Reply STOP to opt out.' },
  ],
};

const appointmentStageFlow = {
  name: 'Deal: appointment scheduled',
  messageType: 'transactional',
  trigger: { events: ['deal.stage_changed'], correlationKey: 'dealId', filter: { '==': [{ var: 'event.dealStage' }, 'appointmentscheduled'] } },
  reentry: { mode: 'never' },
  steps: [{ id: 'confirm', type: 'send', template: '{{ workspace.brandName }}: Thanks {{ contact.firstName }}, your consultation is being scheduled. Reply STOP to opt out.' }],
};

describe('HubSpot events run flows, and opt-outs flow back to HubSpot', () => {
  let hub: TestHub;
  let crm: FakeHubspotCrm;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(START);
    hub = await TestHub.start({ clock });
    crm = await FakeHubspotCrm.start();
    hub.get(HubspotClientFactory).configure({ basePath: crm.url, baseDelayMs: 20 });
  });
  afterAll(async () => {
    await hub?.close();
    await crm?.close();
  });
  beforeEach(() => {
    clock.set(START);
    crm.clearFailures();
    crm.putContact(DANA, hubspotFixture<{ properties: Record<string, string> }>('crm-contact-208114730058.json').properties);
  });

  const fixture = (name: string) => hubspotFixture<HubspotEvent[]>(name);

  /** Moves the hub's clock and runs the flows' due-work pass, as the worker's timer would. */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await hub.get(FlowMaintenance).tick();
  }

  async function sentTexts(s: HubspotScenario, contactId: string, count: number): Promise<Record<string, any>[]> {
    return pollUntil(
      () => s.outbound(contactId),
      (list) => list.filter((m) => m.status === 'sent').length >= count,
      20_000,
      `${count} sent text(s)`,
    );
  }

  it('contact creation starts the welcome flow, with the phone and name read from the CRM', async () => {
    const s = await HubspotScenario.start(hub, crm);
    await s.createActiveFlow(welcomeFlow);
    // Lena opted in to marketing texts earlier (a form): the contact is known by phone only.
    const known = await hub.http().post('/v1/contacts').set('Authorization', s.admin).send({ phone: DANA_PHONE }).expect(201);
    await s.recordConsent(known.body.id, { types: ['marketing'], state: 'opted_in', source: 'web_form' });

    const [event] = await s.deliverAndDispatch(fixture('contact-creation.json'));
    expect(event).toMatchObject({ type: 'contact.created', contactId: known.body.id, status: 'processed' });
    expect(event.outcome.consumers.flows.started).toHaveLength(1);

    const contact = (await hub.http().get(`/v1/contacts/${known.body.id}`).set('Authorization', s.admin).expect(200)).body;
    expect(contact).toMatchObject({ phone: DANA_PHONE, firstName: 'Lena', lastName: 'Park', externalIds: { hubspot: DANA } });

    const [welcome] = await sentTexts(s, known.body.id, 1);
    expect(welcome).toMatchObject({ type: 'marketing', status: 'sent' });
    expect(welcome.body).toBe('Acme Alerts: Welcome, Lena! Msg freq varies. Reply HELP for help, STOP to opt out.');

    await advance(2 * DAY + 60_000);
    const texts = await sentTexts(s, known.body.id, 2);
    expect(texts.map((m) => m.body)).toEqual(expect.arrayContaining([expect.stringContaining('Tip - reply')]));

    // HubSpot delivers the creation again: no second run, no third text.
    const again = await s.sender.send(fixture('contact-creation.json')).expect(200);
    expect(again.body).toMatchObject({ duplicates: 1, stored: [] });
    await advance(2 * DAY);
    expect(await s.outbound(known.body.id)).toHaveLength(2);
  });

  it('a lead starts lead nurture; the deal stage change ends it and starts the flow mapped to that stage', async () => {
    const s = await HubspotScenario.start(hub, crm, { dealStageEvents: { appointmentscheduled: 'deal.stage_changed' } });
    const nurtureId = await s.flowFromTemplate('lead-nurture');
    const dealFlowId = await s.createActiveFlow(appointmentStageFlow);

    const known = await hub.http().post('/v1/contacts').set('Authorization', s.admin).send({ phone: DANA_PHONE }).expect(201);
    await s.recordConsent(known.body.id, { types: 'all', state: 'opted_in', source: 'web_form' });

    const [lead] = await s.deliverAndDispatch(fixture('contact-propertychange-lifecyclestage.json'));
    expect(lead).toMatchObject({ type: 'lead.created', contactId: known.body.id, correlation: { leadId: DANA } });
    const [nurtureRun] = lead.outcome.consumers.flows.started;

    const [deal] = await s.deliverAndDispatch(fixture('deal-propertychange-dealstage.json'));
    expect(deal).toMatchObject({ type: 'deal.stage_changed', contactId: lead.contactId, correlation: { dealId: '41226677889' }, data: expect.objectContaining({ dealStage: 'appointmentscheduled' }) });
    expect(JSON.stringify(deal.outcome.consumers.flows.ended)).toContain(nurtureRun);
    const [dealRun] = deal.outcome.consumers.flows.started;
    expect((await s.run(dealRun)).flowId).toBe(dealFlowId);
    expect((await s.run(nurtureRun))).toMatchObject({ flowId: nurtureId, status: 'exited' });

    const texts = await sentTexts(s, lead.contactId, 2);
    expect(texts.map((m) => m.body)).toEqual(
      expect.arrayContaining([expect.stringContaining('Hi Lena, thanks for your interest'), 'Acme Alerts: Thanks Lena, your consultation is being scheduled. Reply STOP to opt out.']),
    );

    // Another stage of the same deal does not match the mapped flow's stage.
    const [lost] = fixture('deal-propertychange-dealstage.json');
    const [other] = await s.deliverAndDispatch([{ ...lost, eventId: 1004, occurredAt: Number(lost.occurredAt) + 60_000, propertyValue: 'closedlost' }]);
    expect(other.outcome.consumers.flows.started ?? []).toEqual([]);
  });

  it('a workflow call for a booked HubSpot meeting runs the appointment-reminder template', async () => {
    const s = await HubspotScenario.start(hub, crm);
    await s.flowFromTemplate('appointment-reminder');
    const known = await hub.http().post('/v1/contacts').set('Authorization', s.admin).send({ phone: DANA_PHONE }).expect(201);
    await s.recordConsent(known.body.id, { types: 'all', state: 'opted_in', source: 'web_form' });
    crm.associate('meetings', '88001', [DANA]);
    const meeting = { id: '88001', properties: { hs_object_id: '88001', hs_meeting_title: 'Consultation', hs_meeting_start_time: '2026-11-25T20:30:00.000Z' } };

    const [booked] = await s.deliverAndDispatch(meeting, '?event=appointment.booked&objectType=meeting');
    expect(booked).toMatchObject({ type: 'appointment.booked', contactId: known.body.id, correlation: { appointmentId: '88001' }, data: expect.objectContaining({ startsAt: '2026-11-25T20:30:00.000Z' }) });
    expect(booked.outcome.consumers.flows.started).toHaveLength(1);
    const [confirm] = await sentTexts(s, known.body.id, 1);
    expect(confirm.body).toContain("You're booked for Wed, Nov 25 at 3:30 PM");

    // 24 hours before the meeting (15:30 New York the day before), the reminder goes out.
    await advance(Date.parse('2026-11-24T20:31:00.000Z') - clock.nowMs());
    const texts = await sentTexts(s, known.body.id, 2);
    expect(texts.map((m) => m.body)).toContain('Acme Alerts: Reminder, your appointment is tomorrow at 3:30 PM. Need to change it? Reply to this text. Reply STOP to opt out.');
  });

  it('STOP texted to Optline writes the opt-out property back to the HubSpot contact; a failed write is retried and shown', async () => {
    const s = await HubspotScenario.start(hub, crm);
    const [created] = await s.deliverAndDispatch(fixture('contact-creation.json'));
    const contactId = created.contactId as string;
    await s.recordConsent(contactId, { types: ['marketing'], state: 'opted_in', source: 'web_form' });
    await pollUntil(async () => crm.contact(DANA)?.properties[OPT_OUT_PROPERTY], (v) => v === 'false', 20_000, 'the opt-in to reach HubSpot');

    const patchesBefore = crm.callsTo('PATCH', `/crm/v3/objects/contacts/${DANA}`).length;
    const inbound = await hub.get(InboundSmsService).receive(s.ws.id, { provider: 'http', providerMessageId: 'hs-stop-0001', from: DANA_PHONE, to: null, body: 'STOP' });
    expect(inbound.message.contactId).toBe(contactId);
    await pollUntil(async () => crm.contact(DANA)?.properties[OPT_OUT_PROPERTY], (v) => v === 'true', 20_000, 'the opt-out to reach HubSpot');
    const patches = crm.callsTo('PATCH', `/crm/v3/objects/contacts/${DANA}`).slice(patchesBefore);
    // STOP opts out of every type; only the mirrored type (marketing) is written.
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({ body: { properties: { [OPT_OUT_PROPERTY]: 'true' } }, authorization: `Bearer ${crm.accessToken}`, status: 200 });

    // HubSpot refuses the next write once: the failure shows in the status, the retry succeeds.
    crm.failNext(1, { status: 400, method: 'PATCH', body: { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR', correlationId: 'fake-400' } });
    await s.recordConsent(contactId, { types: ['marketing'], state: 'opted_in', source: 'web_form' });
    const failed = await pollUntil(() => s.installation(), (i) => i.status.lastError?.source === 'writeback', 20_000, 'the failure in the status');
    expect(failed.status.lastError.message).toContain('400');
    // The status keeps a timeline of write-backs that failed, not only the last error.
    expect(failed.status.writebackProblems[0]).toMatchObject({ messageType: expect.any(String), attempts: expect.any(Number) });
    expect(failed.status.writebackProblems[0].lastError).toContain('400');
    await pollUntil(async () => crm.contact(DANA)?.properties[OPT_OUT_PROPERTY], (v) => v === 'false', 20_000, 'the retried opt-in to reach HubSpot');
    const finalStatus = await pollUntil(() => s.installation(), (i) => i.status.counts.writebacks.pending === 0, 20_000, 'write-backs to settle');
    expect(finalStatus.status.counts.writebacks).toMatchObject({ failed: 0 });
    expect(finalStatus.status.counts.writebacks.succeeded).toBeGreaterThanOrEqual(3);
  });
});

import { HubspotClientFactory } from '@optline/plugin-hubspot';
import { createContact } from '../utils/factories/contacts';
import { pollUntil } from '../utils/wait';
import { FakeHubspotCrm, hubspotFixture } from '../fakes/hubspot-crm.fake';
import { HubspotWebhookSender } from '../fakes/hubspot-webhook-sender';
import { TestHub, TestWorkspace } from '../utils/test-hub';

const CLIENT_SECRET = 'hubspot-app-client-secret-0001';
const PORTAL_ID = 61829414;

type HubspotEvent = Record<string, unknown> & { eventId: number; objectId: number };

interface EventRow {
  id: string;
  type: string;
  dedupe_key: string;
  status: string;
  correlation: Record<string, string>;
  payload: Record<string, unknown>;
  contact_hint: Record<string, unknown> | null;
  contact_id: string | null;
}

describe('HubSpot webhooks: signature v3, events, deduplication, CRM reads', () => {
  let hub: TestHub;
  let crm: FakeHubspotCrm;

  beforeAll(async () => {
    hub = await TestHub.start();
    crm = await FakeHubspotCrm.start();
    hub.get(HubspotClientFactory).configure({ basePath: crm.url, baseDelayMs: 20 });
  });
  afterAll(async () => {
    await hub.close();
    await crm.close();
  });

  async function install(ws: TestWorkspace, config: Record<string, unknown> = {}): Promise<HubspotWebhookSender> {
    const auth = await ws.auth();
    await hub
      .http()
      .put('/v1/plugins/hubspot')
      .set('Authorization', auth)
      .send({ config: { accessToken: crm.accessToken, clientSecret: CLIENT_SECRET, portalId: PORTAL_ID, optOutProperty: 'optline_sms_opted_out', ...config } })
      .expect(200);
    const res = await hub.http().post('/v1/plugins/hubspot/enable').set('Authorization', auth).expect(200);
    return new HubspotWebhookSender(hub, res.body.installation.id, CLIENT_SECRET);
  }

  async function events(workspaceId: string): Promise<EventRow[]> {
    return hub.dataSource.query('SELECT * FROM trigger_event WHERE workspace_id = $1 ORDER BY dedupe_key', [workspaceId]);
  }

  async function status(ws: TestWorkspace) {
    return (await hub.http().get('/v1/plugins/hubspot').set('Authorization', await ws.auth()).expect(200)).body.installation.status;
  }

  const fixture = (name: string) => hubspotFixture<HubspotEvent[]>(name);

  it('lists HubSpot in the catalogue with its secrets marked and answers 422 naming a bad mapping', async () => {
    const ws = await hub.createWorkspace();
    const auth = await ws.auth();
    const catalogue = await hub.http().get('/v1/plugins/hubspot').set('Authorization', auth).expect(200);
    expect(catalogue.body.configSchema.properties).toMatchObject({ accessToken: { secret: true }, clientSecret: { secret: true }, portalId: { type: 'number' } });
    expect(catalogue.body.writesConsentBack).toBe(true);

    const bad = await hub
      .http()
      .put('/v1/plugins/hubspot')
      .set('Authorization', auth)
      .send({ config: { accessToken: crm.accessToken, clientSecret: CLIENT_SECRET, portalId: PORTAL_ID, lifecycleStageEvents: { lead: 'order.refunded' }, phoneProperties: ['Mobile Phone'] } })
      .expect(422);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['config.lifecycleStageEvents', 'config.phoneProperties']));

    // Enabling checks the connection: a wrong token or a property the portal lacks is the admin's answer now.
    const config = { accessToken: crm.accessToken, clientSecret: CLIENT_SECRET, portalId: PORTAL_ID };
    await hub.http().put('/v1/plugins/hubspot').set('Authorization', auth).send({ config: { ...config, accessToken: 'pat-na1-revoked-token' } }).expect(200);
    const refused = await hub.http().post('/v1/plugins/hubspot/enable').set('Authorization', auth).expect(422);
    expect(refused.body.details[0].field).toBe('config.accessToken');
    await hub.http().put('/v1/plugins/hubspot').set('Authorization', auth).send({ config: { ...config, optOutProperty: 'sms_status_missing' } }).expect(200);
    const missing = await hub.http().post('/v1/plugins/hubspot/enable').set('Authorization', auth).expect(422);
    expect(missing.body.details[0]).toMatchObject({ field: 'config.optOutProperty', message: expect.stringContaining('sms_status_missing') });
    await hub.http().put('/v1/plugins/hubspot').set('Authorization', auth).send({ config: { ...config, optOutProperty: 'optline_sms_opted_out', optedOutValue: 'yes' } }).expect(200);
    const option = await hub.http().post('/v1/plugins/hubspot/enable').set('Authorization', auth).expect(422);
    expect(option.body.details[0].field).toBe('config.optedOutValue');

    await install(ws);
    const shown = await hub.http().get('/v1/plugins/hubspot').set('Authorization', auth).expect(200);
    expect(shown.body.installation.config).toMatchObject({ accessToken: '********', clientSecret: '********', portalId: PORTAL_ID, phoneProperties: ['mobilephone', 'phone'], allowLegacySignatures: false });
  });

  it('accepts a signed contact creation, reads the contact from the CRM and upserts it with the mobile phone', async () => {
    const ws = await hub.createWorkspace({ defaultCountry: 'US' });
    const sender = await install(ws);
    const before = crm.calls.length;

    const res = await sender.send(fixture('contact-creation.json')).expect(200);
    expect(res.body).toMatchObject({ received: 1, duplicates: 0 });

    const [row] = await events(ws.id);
    expect(row).toMatchObject({
      type: 'contact.created',
      dedupe_key: `${PORTAL_ID}:5920641:1001:1763650800000`,
      contact_hint: { phone: '+12125550164', email: 'lena.park@example.com', firstName: 'Lena', lastName: 'Park', externalId: { source: 'hubspot', id: '208114730058' } },
      payload: expect.objectContaining({ hubspotContactId: '208114730058', changeSource: 'FORM', sourceId: 'form:2b9e' }),
    });

    // One GET with the configured properties, authenticated with the installation's token.
    const reads = crm.calls.slice(before);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ method: 'GET', path: '/crm/v3/objects/contacts/208114730058', authorization: `Bearer ${crm.accessToken}`, status: 200 });
    expect(reads[0].query.getAll('properties').join(',').split(',')).toEqual(expect.arrayContaining(['mobilephone', 'phone', 'email', 'firstname', 'lastname']));

    const dispatched = await pollUntil(async () => (await events(ws.id))[0], (r) => r.status !== 'received', 10_000, 'dispatch');
    const contact = (await hub.http().get(`/v1/contacts/${dispatched.contact_id}`).set('Authorization', await ws.auth()).expect(200)).body;
    expect(contact).toMatchObject({ phone: '+12125550164', firstName: 'Lena', lastName: 'Park', email: 'lena.park@example.com', externalIds: { hubspot: '208114730058' } });
  });

  it('answers 401 and stores nothing for a stale timestamp, a wrong secret, an altered URI or an altered body', async () => {
    const ws = await hub.createWorkspace();
    const sender = await install(ws);
    const body = fixture('contact-creation.json');
    const now = hub.clock.nowMs();

    await sender.send(body, { timestamp: now - 5 * 60 * 1000 - 1000 }).expect(401);
    await sender.send(body, { secret: 'not-the-client-secret' }).expect(401);
    await sender.send(body, { signedUri: sender.uri('?portal=other') }).expect(401);
    await sender.send(body, { signedUri: `https://other.example.com/hooks/hubspot/${sender.installationId}` }).expect(401);
    const tampered = JSON.stringify(body).replace('208114730058', '173595202427');
    const refused = await sender.send(body, { sentBody: tampered }).expect(401);
    expect(refused.body.code).toBe('invalid_signature');
    expect(JSON.stringify(refused.body)).not.toContain(CLIENT_SECRET);

    // A v1 signature is refused while the installation accepts v3 only.
    const raw = JSON.stringify(body);
    const { createHash } = await import('node:crypto');
    await hub
      .http()
      .post(sender.path)
      .set('Content-Type', 'application/json')
      .set('X-HubSpot-Signature', createHash('sha256').update(CLIENT_SECRET + raw).digest('hex'))
      .set('X-HubSpot-Signature-Version', 'v1')
      .send(raw)
      .expect(401);

    expect(await events(ws.id)).toEqual([]);
    const shown = await status(ws);
    expect(shown.counts.rejected).toBe(6);
    expect(shown.lastError).toMatchObject({ source: 'verify', message: expect.stringContaining('allowLegacySignatures') });

    // Five minutes exactly is still accepted: the boundary is "older than".
    await sender.send(body, { timestamp: now - 5 * 60 * 1000 }).expect(200);
  });

  it('accepts v1 signatures when the installation asks for them', async () => {
    const ws = await hub.createWorkspace();
    const sender = await install(ws, { allowLegacySignatures: true });
    const raw = JSON.stringify(fixture('contact-creation.json'));
    const { createHash } = await import('node:crypto');
    const sign = (secret: string) => createHash('sha256').update(secret + raw).digest('hex');
    const post = (signature: string) =>
      hub.http().post(sender.path).set('Content-Type', 'application/json').set('X-HubSpot-Signature', signature).set('X-HubSpot-Signature-Version', 'v1').send(raw);
    await post(sign('wrong-secret-000')).expect(401);
    await post(sign(CLIENT_SECRET)).expect(200);
    expect(await events(ws.id)).toHaveLength(1);
  });

  it('processes a mixed batch once per event, even when HubSpot delivers it again', async () => {
    const ws = await hub.createWorkspace({ defaultCountry: 'US' });
    const sender = await install(ws);
    crm.putContact('208114730100', { firstname: 'Ari', mobilephone: null, phone: '(646) 555-0134', email: 'ari@example.com' });
    crm.putContact('208114730200', { firstname: 'Noa', mobilephone: '+13105550188' });
    // The person HubSpot deleted (event 2003) is known here through an earlier sync.
    const deleted = await createContact(ws, { firstName: 'Gone', externalIds: { hubspot: '208114739999' } });
    const batch = fixture('batch-mixed.json');
    const before = crm.calls.length;

    const first = await sender.send(batch).expect(200);
    expect(first.body).toMatchObject({ received: 3, duplicates: 0 });
    const rows = await events(ws.id);
    expect(rows.map((r) => [r.type, r.dedupe_key])).toEqual([
      ['contact.created', `${PORTAL_ID}:5920641:2001:1763660000000`],
      ['contact.updated', `${PORTAL_ID}:5920642:2002:1763660000100`],
      ['contact.created', `${PORTAL_ID}:5920652:2004:1763660000300`],
    ]);
    const byKey = Object.fromEntries(rows.map((r) => [r.dedupe_key.split(':')[2], r]));
    // `mobilephone` is empty for 2500, so its `phone` is used; the generic object.creation form is read like contact.creation.
    expect(byKey['2001'].contact_hint).toMatchObject({ phone: '+16465550134', externalId: { id: '208114730100' } });
    expect(byKey['2004'].contact_hint).toMatchObject({ phone: '+13105550188', externalId: { id: '208114730200' } });
    expect(byKey['2002'].payload).toMatchObject({ changedProperty: 'mobilephone' });
    expect(byKey['2002'].payload).not.toHaveProperty('propertyValue');
    // Three contacts, one batch read.
    expect(crm.calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual(['POST /crm/v3/objects/contacts/batch/read']);

    // The deletion erased the contact here: personal data gone, the row kept.
    const erased = (await hub.http().get(`/v1/contacts/${deleted.id}`).set('Authorization', await ws.auth()).expect(200)).body;
    expect(erased).toMatchObject({ phone: null, firstName: null });
    expect(erased.erasedAt).not.toBeNull();

    // HubSpot retries the whole delivery (attemptNumber goes up): nothing new is stored or run.
    const again = batch.map((e) => ({ ...e, attemptNumber: Number(e.attemptNumber) + 1 }));
    const second = await sender.send(again).expect(200);
    expect(second.body).toMatchObject({ received: 3, stored: [], duplicates: 3 });
    expect(await events(ws.id)).toHaveLength(3);
    const done = await pollUntil(() => events(ws.id), (all) => all.every((r) => r.status !== 'received'), 10_000, 'dispatch of the batch');
    expect(done.filter((r) => r.status === 'processed')).toHaveLength(3);
    expect((await status(ws)).counts).toMatchObject({ received: 3, duplicates: 3 });
  });

  it('maps a lifecycle stage to lead.created and keeps other stages as contact.updated', async () => {
    const ws = await hub.createWorkspace();
    const sender = await install(ws, { lifecycleStageEvents: { lead: 'lead.created', customer: 'contact.updated' } });
    const [lead] = fixture('contact-propertychange-lifecyclestage.json');
    await sender.send([lead, { ...lead, eventId: 1010, propertyValue: 'opportunity' }]).expect(200);
    const rows = await events(ws.id);
    expect(rows.map((r) => [r.type, r.correlation, r.payload.lifecycleStage])).toEqual([
      ['lead.created', { leadId: '208114730058' }, 'lead'],
      ['contact.updated', {}, 'opportunity'],
    ]);
  });

  it('turns a deal stage change into one event per contact of the deal, read through the v4 associations', async () => {
    const ws = await hub.createWorkspace();
    const sender = await install(ws, { dealStageEvents: { closedwon: 'deal.stage_changed' } });
    const before = crm.calls.length;
    await sender.send(fixture('deal-propertychange-dealstage.json')).expect(200);
    const [row] = await events(ws.id);
    expect(row).toMatchObject({
      type: 'deal.stage_changed',
      dedupe_key: `${PORTAL_ID}:5920643:1003:1763654700000:contact:208114730058`,
      correlation: { dealId: '41226677889' },
      payload: expect.objectContaining({ dealId: '41226677889', dealStage: 'appointmentscheduled', hubspotContactIds: ['208114730058'] }),
      contact_hint: expect.objectContaining({ phone: '+12125550164' }),
    });
    expect(crm.calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /crm/v4/objects/deals/41226677889/associations/contacts',
      'GET /crm/v3/objects/contacts/208114730058',
    ]);
  });

  it('backs off and retries when HubSpot answers 429 TEN_SECONDLY_ROLLING', async () => {
    const ws = await hub.createWorkspace();
    const sender = await install(ws);
    crm.failNext(2, { pathPrefix: '/crm/v3/objects/contacts' });
    const before = crm.calls.length;
    await sender.send(fixture('contact-creation.json')).expect(200);
    expect(crm.calls.slice(before).map((c) => c.status)).toEqual([429, 429, 200]);
    expect((await events(ws.id))[0].contact_hint).toMatchObject({ phone: '+12125550164' });
  });

  it('answers 503 and stores nothing when HubSpot stays rate-limited past the budget, so HubSpot redelivers', async () => {
    const ws = await hub.createWorkspace();
    const sender = await install(ws);
    const factory = hub.get(HubspotClientFactory);
    const budget = factory.options.webhookBudgetMs;
    factory.configure({ webhookBudgetMs: 200 });
    try {
      crm.failNext(50, { pathPrefix: '/crm/v3/objects/contacts' });
      const res = await sender.send(fixture('contact-creation.json')).expect(503);
      expect(res.body.code).toBe('plugin_unavailable');
      expect(await events(ws.id)).toEqual([]);
      expect((await status(ws)).lastError).toMatchObject({ source: 'plugin', message: expect.stringContaining('429') });
    } finally {
      crm.clearFailures();
      factory.configure({ webhookBudgetMs: budget });
    }
    await sender.send(fixture('contact-creation.json')).expect(200);
    expect(await events(ws.id)).toHaveLength(1);
  });

  it('answers 422 naming the field for a malformed delivery, and ignores events of another portal', async () => {
    const ws = await hub.createWorkspace();
    const sender = await install(ws);
    const [event] = fixture('contact-creation.json');
    const bad = await sender.send([event, { ...event, occurredAt: 'yesterday' }]).expect(422);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: '[1].occurredAt' })]);
    // Bytes that are not JSON never reach the plugin: verified, kept as a failed event, 422 naming the body.
    const notJson = await sender.send('not json').expect(422);
    expect(notJson.body.details).toEqual([{ field: 'body', message: expect.stringContaining('not valid JSON') }]);
    expect((await events(ws.id)).map((e) => [e.type, e.status])).toEqual([['webhook.unparsable', 'failed']]);

    const foreign = await sender.send([{ ...event, portalId: 99999 }]).expect(200);
    expect(foreign.body).toMatchObject({ received: 0 });
    expect((await status(ws)).lastError).toMatchObject({ source: 'portal', message: expect.stringContaining('99999') });
  });

  it('accepts a workflow "send a webhook" call for a booked meeting, with the contact from the body', async () => {
    const ws = await hub.createWorkspace({ defaultCountry: 'US' });
    const sender = await install(ws);
    const contact = hubspotFixture<{ id: string; properties: Record<string, string> }>('crm-contact-208114730058.json');
    const body = { ...contact, properties: { ...contact.properties, hs_meeting_start_time: '2026-03-12T20:30:00.000Z' } };
    const before = crm.calls.length;
    await sender.send(body, { query: '?event=appointment.booked' }).expect(200);
    const [row] = await events(ws.id);
    expect(row).toMatchObject({
      type: 'appointment.booked',
      correlation: { appointmentId: '208114730058' },
      payload: expect.objectContaining({ startsAt: '2026-03-12T20:30:00.000Z', workflow: true, objectType: 'contact' }),
      contact_hint: expect.objectContaining({ phone: '+12125550164', firstName: 'Lena' }),
    });
    expect(row.payload.properties).not.toHaveProperty('mobilephone');
    // The body held the phone: no CRM call was needed.
    expect(crm.calls.length).toBe(before);

    const missing = await sender.send(contact, { query: '?event=appointment.booked' }).expect(422);
    expect(missing.body.details[0].field).toBe('properties.hs_meeting_start_time');
    const noEvent = await sender.send(contact).expect(422);
    expect(noEvent.body.details[0].field).toBe('query.event');
  });
});

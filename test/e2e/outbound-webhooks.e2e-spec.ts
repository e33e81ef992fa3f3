import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { JobQueue } from '@optline/core';
import { InboundSmsService, SendGateway } from '@optline/messaging';
import { OutboundWebhooksWorkerModule } from '@optline/outbound-webhooks';
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../fakes/webhook-receiver';
import { createContact, recordConsent, uniquePhone } from '../utils/factories/contacts';
import { FlowKit } from '../../libs/flows/testing/flow-e2e-kit';
import { pollUntil, TestHub, TestWorkspace, waitFor } from '../utils';

/**
 * Outbound event webhooks as a helpdesk sees them: every request verified with the Standard
 * Webhooks library's own verifier, retries on the configured schedule, the delivery log, replay,
 * and an endpoint disabled after repeated failure with the reason shown.
 */
describe('outbound event webhooks', () => {
  let hub: TestHub;
  let ws: TestWorkspace;
  let receiver: WebhookReceiver;

  const createEndpoint = async (workspace: TestWorkspace, path: string, eventTypes: string[]) =>
    (await hub.http().post('/v1/webhook-endpoints').set('Authorization', await workspace.auth()).send({ url: receiver.url(path), description: path, eventTypes }).expect(201)).body as {
      id: string;
      secret: string;
      secretHint: string;
    };
  const deliveries = async (workspace: TestWorkspace, endpointId: string) =>
    (await hub.http().get(`/v1/webhook-endpoints/${endpointId}/deliveries`).set('Authorization', await workspace.auth()).expect(200)).body.data as Record<string, any>[];
  const verified = (secret: string, path: string) =>
    receiver.at(path).map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as Record<string, any>);

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    hub = await TestHub.start({ env: { WEBHOOK_RETRY_SCHEDULE: '0.3,0.3', WEBHOOK_DISABLE_AFTER: '2' } });
    ws = await hub.createWorkspace();
  });
  afterAll(async () => {
    await hub.close();
    await receiver.close();
  });

  it('signs a consent change with Standard Webhooks: the library’s verifier accepts it, and it is logged as delivered', async () => {
    const endpoint = await createEndpoint(ws, '/helpdesk', ['consent.changed']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint.secretHint).toBe(endpoint.secret.slice(-4));
    // The secret is shown once: reading the endpoint again does not answer it.
    const read = await hub.http().get(`/v1/webhook-endpoints/${endpoint.id}`).set('Authorization', await ws.auth('support')).expect(200);
    expect(read.body.secret).toBeUndefined();

    const contact = await createContact(ws);
    await recordConsent(ws, contact.id, { types: ['marketing'], state: 'opted_out', source: 'api' }, 'support', 201);
    await waitFor('the consent webhook', () => receiver.at('/helpdesk').length >= 1);
    const [event] = verified(endpoint.secret, '/helpdesk');
    expect(event).toMatchObject({ type: 'consent.changed', workspaceId: ws.id, data: { contactId: contact.id, phone: contact.phone, messageType: 'marketing', state: 'opted_out' } });
    const [request] = receiver.at('/helpdesk');
    expect(request.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    // A wrong secret does not verify: the signature really depends on it.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(request.body, request.headers as Record<string, string>)).toThrow();

    const [logged] = await pollUntil(() => deliveries(ws, endpoint.id), (d) => d[0]?.status === 'succeeded', 10_000, 'delivery logged');
    expect(logged).toMatchObject({ eventType: 'consent.changed', status: 'succeeded', attempts: 1, responseStatus: 200, webhookId: request.headers['webhook-id'] });
    expect(typeof logged.latencyMs).toBe('number');
  });

  it('delivers only the event types an endpoint subscribed to: a finished import, not consent changes', async () => {
    const other = await hub.createWorkspace({ name: 'Imports' });
    const endpoint = await createEndpoint(other, '/imports', ['contact_import.ended']);
    const started = await hub.http().post('/v1/contacts/import').set('Authorization', await other.auth()).set('Content-Type', 'text/csv').send(`phone\n${uniquePhone()}\n`).expect(202);
    await waitFor('the import webhook', () => receiver.at('/imports').length >= 1);
    const events = verified(endpoint.secret, '/imports');
    expect(events).toEqual([expect.objectContaining({ type: 'contact_import.ended', data: { importId: started.body.id, status: 'completed', error: null } })]);
    expect(events.some((e) => e.type === 'consent.changed')).toBe(false);
  });

  it('retries a failing endpoint on the schedule, fails the delivery after the last attempt, and disables the endpoint after two such deliveries, saying why', async () => {
    const endpoint = await createEndpoint(ws, '/down', ['consent.changed']);
    receiver.answer('/down', 500);
    const first = await createContact(ws);
    await recordConsent(ws, first.id, { types: ['marketing'], state: 'opted_out' }, 'admin', 201);
    await waitFor('three attempts', () => receiver.at('/down').length >= 3, 10_000);
    const attempts = receiver.at('/down');
    // One webhook-id across the retries, so a receiver can drop duplicates; retries after the delay.
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(250);
    const [failed] = await pollUntil(() => deliveries(ws, endpoint.id), (d) => d[0]?.status === 'failed', 10_000, 'delivery failed');
    expect(failed).toMatchObject({ attempts: 3, maxAttempts: 3, responseStatus: 500, error: 'HTTP 500: receiver unavailable' });
    expect(failed.attemptLog).toHaveLength(3);

    let state = (await hub.http().get(`/v1/webhook-endpoints/${endpoint.id}`).set('Authorization', await ws.auth()).expect(200)).body;
    expect(state).toMatchObject({ enabled: true, failedInARow: 1 });

    const second = await createContact(ws);
    await recordConsent(ws, second.id, { types: ['marketing'], state: 'opted_out' }, 'admin', 201);
    state = await pollUntil(
      async () => (await hub.http().get(`/v1/webhook-endpoints/${endpoint.id}`).set('Authorization', await ws.auth()).expect(200)).body,
      (e) => e.enabled === false,
      10_000,
      'endpoint disabled',
    );
    expect(state.disabledReason).toBe('Disabled after 2 deliveries in a row failed every attempt (last: HTTP 500: receiver unavailable)');

    // Disabled: new events are not delivered, and a replay is refused until it is enabled again.
    const before = receiver.at('/down').length;
    await recordConsent(ws, (await createContact(ws)).id, { types: ['marketing'], state: 'opted_out' }, 'admin', 201);
    const refused = await hub.http().post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${failed.id}/replay`).set('Authorization', await ws.auth()).expect(409);
    expect(refused.body.code).toBe('endpoint_disabled');

    // The receiver is fixed; enabling and replaying delivers the same event with the same webhook-id.
    receiver.answer('/down', 204);
    await hub.http().patch(`/v1/webhook-endpoints/${endpoint.id}`).set('Authorization', await ws.auth()).send({ enabled: true }).expect(200);
    const replayed = await hub.http().post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${failed.id}/replay`).set('Authorization', await ws.auth()).expect(202);
    expect(replayed.body.status).toMatch(/pending|sending|succeeded/);
    const done = await pollUntil(() => deliveries(ws, endpoint.id), (d) => d.find((x) => x.id === failed.id)?.status === 'succeeded', 10_000, 'replay delivered');
    expect(done.find((x) => x.id === failed.id)).toMatchObject({ attempts: 4, responseStatus: 204, error: null });
    const after = receiver.at('/down').slice(before);
    expect(after).toHaveLength(1);
    expect(after[0].headers['webhook-id']).toBe(attempts[0].headers['webhook-id']);
    expect(verified(endpoint.secret, '/down').at(-1)).toMatchObject({ type: 'consent.changed', data: { contactId: first.id } });
  });

  it('sends a test event on request and answers how the endpoint replied; a rotated secret signs from then on', async () => {
    const endpoint = await createEndpoint(ws, '/test', ['message.received']);
    const ok = await hub.http().post(`/v1/webhook-endpoints/${endpoint.id}/test`).set('Authorization', await ws.auth()).expect(200);
    expect(ok.body).toMatchObject({ eventType: 'webhook.test', status: 'succeeded', attempts: 1, responseStatus: 200 });
    expect(verified(endpoint.secret, '/test')).toEqual([expect.objectContaining({ type: 'webhook.test', workspaceId: ws.id })]);

    const rotated = await hub.http().post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`).set('Authorization', await ws.auth()).expect(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    receiver.answer('/test', 503);
    const failing = await hub.http().post(`/v1/webhook-endpoints/${endpoint.id}/test`).set('Authorization', await ws.auth()).expect(200);
    expect(failing.body).toMatchObject({ status: 'failed', responseStatus: 503 });
    const last = receiver.at('/test').at(-1)!;
    expect(() => new Webhook(rotated.body.secret).verify(last.body, last.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(endpoint.secret).verify(last.body, last.headers as Record<string, string>)).toThrow();
  });

  it('announces message statuses and inbound texts from the send and receive paths', async () => {
    const other = await hub.createWorkspace({ name: 'Texts' });
    const endpoint = await createEndpoint(other, '/texts', ['message.status_changed', 'message.received']);
    const phone = uniquePhone();
    const { contact } = await hub.get(ContactService).upsertByPhone(other.id, { phone });
    await hub.get(ConsentService).record(other.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'test' } });
    const message = await hub.get(SendGateway).submit({ workspaceId: other.id, contactId: contact.id, type: 'transactional', body: 'Order 1042 shipped', idempotencyKey: 'webhooks:1' });
    await hub.get(InboundSmsService).receive(other.id, { provider: 'http', providerMessageId: 'in-1', from: phone, to: '+18005550100', body: 'Where is my order?' });
    const events = await pollUntil(
      async () => verified(endpoint.secret, '/texts'),
      (e) => e.some((x) => x.type === 'message.status_changed' && x.data.status === 'sent') && e.some((x) => x.type === 'message.received'),
      10_000,
      'status and inbound events',
    );
    expect(events.find((e) => e.type === 'message.status_changed' && e.data.status === 'sent')!.data).toMatchObject({ messageId: message.id, contactId: contact.id, phone, messageType: 'transactional' });
    expect(events.find((e) => e.type === 'message.received')!.data).toMatchObject({ contactId: contact.id, from: phone, body: 'Where is my order?', keyword: null });
  });

  it('announces a flow run that completed; the flow’s own webhook step is signed with Standard Webhooks too', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace({ name: 'Runs' }));
    const endpoint = await createEndpoint(kit.ws, '/runs', ['flow_run.ended']);
    const flow = await hub
      .http()
      .post('/v1/flows')
      .set('Authorization', await kit.auth())
      .send({ name: 'Lead to CRM', messageType: 'transactional', trigger: { events: ['lead.created'], correlationKey: 'leadId' }, reentry: { mode: 'always' }, steps: [{ id: 'notify', type: 'webhook', url: receiver.url('/crm-step') }] })
      .expect(201);
    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', await kit.auth()).expect(200);
    const flowSecret = (await hub.http().get(`/v1/flows/${flow.body.id}/webhook-secret`).set('Authorization', await kit.auth()).expect(200)).body.secret;
    const lead = await kit.contact(uniquePhone(), { firstName: 'Kim' });
    await kit.emit([{ type: 'lead.created', dedupeKey: 'lead-9', contact: { phone: lead.phone! }, correlation: { leadId: 'L-9' }, data: {} }]);
    await waitFor('the run-ended webhook', () => receiver.at('/runs').length >= 1);
    const [run] = await kit.runsOf(flow.body.id);
    expect(verified(endpoint.secret, '/runs')).toEqual([expect.objectContaining({ type: 'flow_run.ended', data: { runId: run.id, flowId: flow.body.id, contactId: lead.id, status: 'completed', reason: null } })]);
    expect(verified(flowSecret, '/crm-step')).toEqual([expect.objectContaining({ step: 'notify' })]);
  });

  it('announces a cancelled campaign', async () => {
    const other = await hub.createWorkspace({ name: 'Campaigns' });
    const endpoint = await createEndpoint(other, '/campaigns', ['campaign.ended']);
    const auth = await other.auth();
    const group = (await hub.http().post('/v1/groups').set('Authorization', auth).send({ name: 'VIP' }).expect(201)).body;
    const campaign = (await hub.http().post('/v1/campaigns').set('Authorization', auth).send({ name: 'Flash', audience: { groupId: group.id }, content: { kind: 'message', messageType: 'marketing', body: 'Flash sale today. Reply STOP to opt out.' } }).expect(201)).body;
    await hub.http().post(`/v1/campaigns/${campaign.id}/cancel`).set('Authorization', auth).expect(200);
    await waitFor('the campaign webhook', () => receiver.at('/campaigns').length >= 1);
    expect(verified(endpoint.secret, '/campaigns')).toEqual([expect.objectContaining({ type: 'campaign.ended', data: { campaignId: campaign.id, status: 'cancelled' } })]);
  });

  it('re-arms a delivery whose job was lost with Redis, from its row (law 3)', async () => {
    const other = await hub.createWorkspace({ name: 'Lost jobs' });
    const endpoint = await createEndpoint(other, '/lost', ['consent.changed']);
    const queue = hub.get(JobQueue).queue('webhook.deliver');
    await queue.pause(true);
    try {
      await recordConsent(other, (await createContact(other)).id, { types: ['marketing'], state: 'opted_out' }, 'admin', 201);
      const [delivery] = await pollUntil(() => deliveries(other, endpoint.id), (d) => d.length === 1, 10_000, 'delivery row');
      // Redis forgets the job; the row still says the attempt was due minutes ago.
      const [job] = (await queue.getWaiting()).filter((j) => j.data.deliveryId === delivery.id);
      await job.remove();
      await hub.dataSource.query(`UPDATE webhook_delivery SET next_attempt_at = now() - interval '5 minutes' WHERE id = $1`, [delivery.id]);
    } finally {
      await queue.resume(true);
    }
    expect(await hub.get(OutboundWebhooksWorkerModule).reconcile()).toBeGreaterThanOrEqual(1);
    await waitFor('the re-armed delivery', () => receiver.at('/lost').length === 1);
    expect(verified(endpoint.secret, '/lost')[0]).toMatchObject({ type: 'consent.changed' });
    const [done] = await pollUntil(() => deliveries(other, endpoint.id), (d) => d[0]?.status === 'succeeded', 10_000, 'delivered');
    expect(done.attempts).toBe(1);
  });

  it('answers client mistakes with the field, keeps endpoints to their workspace and changes to admins', async () => {
    const bad = await hub.http().post('/v1/webhook-endpoints').set('Authorization', await ws.auth()).send({ url: 'ftp://x', eventTypes: ['order.created'] }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['eventTypes', 'url']);
    await hub.http().post('/v1/webhook-endpoints').set('Authorization', await ws.auth('marketing')).send({ url: receiver.url('/m'), eventTypes: ['consent.changed'] }).expect(403);
    const endpoint = await createEndpoint(ws, '/mine', ['campaign.ended']);
    const stranger = await hub.createWorkspace({ name: 'Stranger' });
    await hub.http().get(`/v1/webhook-endpoints/${endpoint.id}`).set('Authorization', await stranger.auth()).expect(404);
    await hub.http().get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`).set('Authorization', await stranger.auth()).expect(404);
    await hub.http().delete(`/v1/webhook-endpoints/${endpoint.id}`).set('Authorization', await stranger.auth()).expect(404);
    const types = await hub.http().get('/v1/webhook-endpoints/event-types').set('Authorization', await ws.auth('support')).expect(200);
    expect(types.body.data.map((t: { type: string }) => t.type)).toEqual(['consent.changed', 'message.status_changed', 'message.received', 'flow_run.ended', 'contact_import.ended', 'campaign.ended']);
    await hub.http().delete(`/v1/webhook-endpoints/${endpoint.id}`).set('Authorization', await ws.auth()).expect(204);
    await hub.http().get(`/v1/webhook-endpoints/${endpoint.id}`).set('Authorization', await ws.auth()).expect(404);
  });
});

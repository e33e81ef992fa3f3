import type { TestHub, TestWorkspace } from '../utils/test-hub';
import { pollUntil } from '../utils/wait';
import type { FakeHubspotCrm } from './hubspot-crm.fake';
import { HubspotWebhookSender } from './hubspot-webhook-sender';

export const HUBSPOT_CLIENT_SECRET = 'hubspot-app-client-secret-0001';
export const HUBSPOT_PORTAL_ID = 61829414;
export const OPT_OUT_PROPERTY = 'optline_sms_opted_out';

/** A workspace with the HubSpot plugin installed against the fake CRM, and helpers to drive it over HTTP. */
export class HubspotScenario {
  private constructor(
    readonly hub: TestHub,
    readonly ws: TestWorkspace,
    readonly admin: string,
    readonly sender: HubspotWebhookSender,
  ) {}

  static async start(hub: TestHub, crm: FakeHubspotCrm, config: Record<string, unknown> = {}, workspace: Record<string, unknown> = {}): Promise<HubspotScenario> {
    const ws = await hub.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York', ...workspace });
    const admin = await ws.auth();
    await hub
      .http()
      .put('/v1/plugins/hubspot')
      .set('Authorization', admin)
      .send({ config: { accessToken: crm.accessToken, clientSecret: HUBSPOT_CLIENT_SECRET, portalId: HUBSPOT_PORTAL_ID, optOutProperty: OPT_OUT_PROPERTY, ...config } })
      .expect(200);
    const enabled = await hub.http().post('/v1/plugins/hubspot/enable').set('Authorization', admin).expect(200);
    return new HubspotScenario(hub, ws, admin, new HubspotWebhookSender(hub, enabled.body.installation.id, HUBSPOT_CLIENT_SECRET));
  }

  /** The stored event once the dispatch (contact, consent, flows) is done. */
  dispatched(eventId: string): Promise<Record<string, any>> {
    return pollUntil(
      async () => (await this.hub.http().get(`/v1/events/${eventId}`).set('Authorization', this.admin).expect(200)).body as Record<string, any>,
      (event) => event.status !== 'received',
      20_000,
      `event ${eventId} to be dispatched`,
    );
  }

  /** Delivers signed events and waits for each stored one to be dispatched. */
  async deliverAndDispatch(payload: unknown, query = ''): Promise<Record<string, any>[]> {
    const res = await this.sender.send(payload, { query }).expect(200);
    return Promise.all((res.body.stored as string[]).map((id) => this.dispatched(id)));
  }

  async outbound(contactId: string): Promise<Record<string, any>[]> {
    const res = await this.hub.http().get('/v1/messages').query({ contactId, direction: 'outbound' }).set('Authorization', this.admin).expect(200);
    return res.body.data;
  }

  async installation(): Promise<Record<string, any>> {
    return (await this.hub.http().get('/v1/plugins/hubspot').set('Authorization', this.admin).expect(200)).body.installation;
  }

  async recordConsent(contactId: string, body: Record<string, unknown>): Promise<void> {
    await this.hub
      .http()
      .post(`/v1/contacts/${contactId}/consent`)
      .set('Authorization', this.admin)
      .send({ evidence: { text: 'Ticked the SMS box on the HubSpot landing page form' }, ...body })
      .expect(201);
  }

  async createActiveFlow(document: Record<string, unknown>): Promise<string> {
    const created = await this.hub.http().post('/v1/flows').set('Authorization', this.admin).send(document).expect(201);
    await this.hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', this.admin).expect(200);
    return created.body.id;
  }

  async flowFromTemplate(templateKey: string): Promise<string> {
    const created = await this.hub.http().post('/v1/flows/from-template').set('Authorization', this.admin).send({ templateKey }).expect(201);
    await this.hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', this.admin).expect(200);
    return created.body.id;
  }

  async run(runId: string): Promise<Record<string, any>> {
    return (await this.hub.http().get(`/v1/runs/${runId}`).set('Authorization', this.admin).expect(200)).body;
  }
}

import { ShopifyAdminEndpoint } from '@optline/plugin-shopify';
import type { TestHub, TestWorkspace } from '../utils/test-hub';
import { ShopifyAdminFake } from './shopify-admin.fake';
import { shopifyFixture, shopifyHeaders } from './shopify-fixtures';
import { eventually } from '../utils/wait';

export { eventually };

export const SHOP = 'ridgeline-outfitters.myshopify.com';
export const CLIENT_SECRET = 'shpss_test_secret_acme_0123456789';
export const ACCESS_TOKEN = 'shpat_test_token_0123456789';

/** A workspace with the Shopify plugin installed and enabled against the fake Admin API. */
export class ShopifyScenario {
  installationId = '';

  constructor(
    readonly hub: TestHub,
    readonly ws: TestWorkspace,
    readonly fake: ShopifyAdminFake,
    /** The workspace admin's Authorization header. */
    readonly admin: string,
  ) {}

  static async start(hub: TestHub, fake: ShopifyAdminFake, config: Record<string, unknown> = {}, enable = true): Promise<ShopifyScenario> {
    hub.get(ShopifyAdminEndpoint).pointAt(fake.url);
    const ws = await hub.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
    const scenario = new ShopifyScenario(hub, ws, fake, await ws.auth());
    const res = await scenario.install(config).expect(200);
    scenario.installationId = res.body.installation.id;
    if (enable) await scenario.enable().expect(200);
    return scenario;
  }

  config(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { shopDomain: SHOP, accessToken: ACCESS_TOKEN, clientSecret: CLIENT_SECRET, abandonmentWaitMinutes: 60, ...extra };
  }

  install(extra: Record<string, unknown> = {}) {
    return this.hub.http().put('/v1/plugins/shopify').set('Authorization', this.admin).send({ config: this.config(extra) });
  }

  enable() {
    return this.hub.http().post('/v1/plugins/shopify/enable').set('Authorization', this.admin);
  }

  disable() {
    return this.hub.http().post('/v1/plugins/shopify/disable').set('Authorization', this.admin);
  }

  async plugin() {
    return (await this.hub.http().get('/v1/plugins/shopify').set('Authorization', await this.ws.auth()).expect(200)).body;
  }

  /** Posts a body as Shopify would, signed with the app secret unless told otherwise. */
  deliver(topic: string, body: string, options: { webhookId?: string; secret?: string; shopDomain?: string; signature?: string } = {}) {
    const headers = shopifyHeaders({ topic, body, shopDomain: options.shopDomain ?? SHOP, secret: options.secret ?? CLIENT_SECRET, webhookId: options.webhookId });
    if (options.signature !== undefined) headers['X-Shopify-Hmac-Sha256'] = options.signature;
    return this.hub.http().post(`/hooks/shopify/${this.installationId}`).set(headers).send(body);
  }

  /** Posts a fixture (e.g. `checkouts-create`) under a topic. */
  deliverFixture(topic: string, fixture: string, options: Parameters<ShopifyScenario['deliver']>[2] = {}) {
    return this.deliver(topic, shopifyFixture(fixture), options);
  }

  /** The stored event once its dispatch finished (status no longer 'received'). */
  async dispatched(eventId: string): Promise<Record<string, any>> {
    const auth = await this.ws.auth();
    return eventually(async () => {
      const res = await this.hub.http().get(`/v1/events/${eventId}`).set('Authorization', auth).expect(200);
      return res.body.status !== 'received' ? (res.body as Record<string, any>) : undefined;
    }, `event ${eventId} to be dispatched`);
  }

  async consentOf(contactId: string): Promise<Record<string, any>> {
    return (await this.hub.http().get(`/v1/contacts/${contactId}/consent`).set('Authorization', await this.ws.auth()).expect(200)).body;
  }

  async privacyRequests(): Promise<Record<string, any>[]> {
    const res = await this.hub.http().get(`/v1/plugins/shopify/installations/${this.installationId}/privacy-requests`).set('Authorization', await this.ws.auth()).expect(200);
    return res.body.data;
  }
}

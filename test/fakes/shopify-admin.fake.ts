import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, as Shopify would have seen it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeWebhook {
  id: number;
  address: string;
  topic: string;
  created_at: string;
  updated_at: string;
  format: string;
  fields: string[];
  metafield_namespaces: string[];
  api_version: string;
  private_metafield_namespaces: string[];
}

export interface FakeCustomer {
  id: string;
  phone: string | null;
  sms_marketing_consent: { state: string; opt_in_level: string | null; consent_updated_at: string | null; consent_collected_from: string };
}

export interface ShopifyAdminFakeOptions {
  shopDomain?: string;
  accessToken?: string;
  /** The app's credentials the OAuth token endpoint accepts. */
  clientId?: string;
  clientSecret?: string;
}

/**
 * A local stand-in for one shop's Admin API (REST `shop.json`, `webhooks.json`,
 * `customers/{id}.json` and `graphql.json`), answering in Shopify's JSON shapes and status codes
 * and recording every request. Tests point the plugin's Admin client at `url`.
 */
export class ShopifyAdminFake {
  readonly requests: RecordedRequest[] = [];
  readonly webhooks: FakeWebhook[] = [];
  readonly customers = new Map<string, FakeCustomer>();
  readonly shopDomain: string;
  accessToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** What `POST /admin/oauth/access_token` answers in `scope` (Shopify omits a read scope its write scope implies). */
  grantedScope = 'read_checkouts,read_orders,read_fulfillments,write_customers';
  /** Authorization codes not yet exchanged; an exchanged code is gone, as at Shopify. */
  private readonly codes = new Set<string>();
  private server: Server | null = null;
  private nextId = 1_047_000_001;
  private failures: { times: number; status: number; match?: (r: RecordedRequest) => boolean }[] = [];

  constructor(options: ShopifyAdminFakeOptions = {}) {
    this.shopDomain = options.shopDomain ?? 'ridgeline-outfitters.myshopify.com';
    this.accessToken = options.accessToken ?? 'shpat_test_token_0123456789';
    this.clientId = options.clientId ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    this.clientSecret = options.clientSecret ?? 'shpss_test_secret_acme_0123456789';
  }

  /** The code Shopify would put in the OAuth callback after the merchant approved; good for one exchange. */
  issueCode(): string {
    const code = `code_${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
    this.codes.add(code);
    return code;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the Shopify fake is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** Forgets recorded requests (the shop's webhooks and customers stay). */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /** The next `times` matching requests answer `status` (503 by default, as Shopify does under load). */
  failNext(times = 1, status = 503, match?: (r: RecordedRequest) => boolean): void {
    this.failures.push({ times, status, match });
  }

  /** A webhook subscription already at the shop (made earlier, or by hand). */
  addWebhook(topic: string, address: string, format = 'json'): FakeWebhook {
    const now = new Date().toISOString();
    const webhook: FakeWebhook = {
      id: this.nextId++,
      address,
      topic,
      created_at: now,
      updated_at: now,
      format,
      fields: [],
      metafield_namespaces: [],
      api_version: '2025-10',
      private_metafield_namespaces: [],
    };
    this.webhooks.push(webhook);
    return webhook;
  }

  addCustomer(id: string, phone: string | null, state = 'subscribed'): FakeCustomer {
    const customer: FakeCustomer = {
      id,
      phone,
      sms_marketing_consent: { state, opt_in_level: 'single_opt_in', consent_updated_at: '2026-11-20T14:31:40-05:00', consent_collected_from: 'SHOPIFY' },
    };
    this.customers.set(id, customer);
    return customer;
  }

  /** Requests that changed something (everything but GETs). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    let body: unknown = undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { errors: 'Bad Request' });
      }
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
    this.requests.push(recorded);

    if (url.pathname === '/admin/oauth/access_token' && recorded.method === 'POST') return this.exchangeCode(res, body);
    if (req.headers['x-shopify-access-token'] !== this.accessToken) {
      return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    const failure = this.failures.find((f) => f.times > 0 && (!f.match || f.match(recorded)));
    if (failure) {
      failure.times -= 1;
      return send(res, failure.status, { errors: failure.status === 429 ? 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' : 'Internal Server Error' });
    }

    const match = /^\/admin\/api\/(\d{4}-\d{2})\/(.+)\.json$/.exec(url.pathname);
    if (!match) return send(res, 404, { errors: 'Not Found' });
    const [, version, resource] = match;
    const method = recorded.method;

    if (resource === 'shop' && method === 'GET') return send(res, 200, { shop: this.shop() });
    if (resource === 'webhooks' && method === 'GET') return send(res, 200, { webhooks: this.webhooks });
    if (resource === 'webhooks' && method === 'POST') return this.createWebhook(res, body, version);
    const webhookId = /^webhooks\/(\d+)$/.exec(resource)?.[1];
    if (webhookId && method === 'PUT') return this.updateWebhook(res, Number(webhookId), body);
    if (webhookId && method === 'DELETE') return this.deleteWebhook(res, Number(webhookId));
    const customerId = /^customers\/(\d+)$/.exec(resource)?.[1];
    if (customerId && method === 'PUT') return this.updateCustomer(res, customerId, body);
    if (resource === 'graphql' && method === 'POST') return this.graphql(res, body as { query?: string; variables?: Record<string, unknown> });
    return send(res, 404, { errors: 'Not Found' });
  }

  /**
   * Shopify's authorization-code exchange: JSON `{client_id, client_secret, code}` → 200
   * `{access_token, scope}`; an unknown or already used code, or wrong app credentials, → 400
   * `{error, error_description}`.
   */
  private exchangeCode(res: ServerResponse, body: unknown): void {
    const input = (body ?? {}) as { client_id?: unknown; client_secret?: unknown; code?: unknown };
    if (input.client_id !== this.clientId || input.client_secret !== this.clientSecret) {
      return send(res, 400, { error: 'invalid_client', error_description: 'Client credentials are invalid' });
    }
    if (typeof input.code !== 'string' || !this.codes.delete(input.code)) {
      return send(res, 400, { error: 'invalid_request', error_description: 'The authorization code was not found or was already used' });
    }
    send(res, 200, { access_token: this.accessToken, scope: this.grantedScope });
  }

  private shop() {
    return {
      id: 61204000,
      name: 'Ridgeline Outfitters',
      email: 'owner@ridgeline-outfitters.test',
      domain: 'shop.ridgeline-outfitters.test',
      myshopify_domain: this.shopDomain,
      iana_timezone: 'America/New_York',
      currency: 'USD',
      country_code: 'US',
      plan_name: 'basic',
    };
  }

  private createWebhook(res: ServerResponse, body: unknown, version: string): void {
    const input = (body as { webhook?: Partial<FakeWebhook> } | undefined)?.webhook;
    if (!input?.topic || !input.address) return send(res, 422, { errors: { topic: ["can't be blank"], address: ["can't be blank"] } });
    if (this.webhooks.some((w) => w.topic === input.topic && w.address === input.address)) {
      return send(res, 422, { errors: { address: ['for this topic has already been taken'] } });
    }
    const webhook = this.addWebhook(input.topic, input.address, input.format ?? 'json');
    webhook.api_version = version;
    send(res, 201, { webhook });
  }

  private updateWebhook(res: ServerResponse, id: number, body: unknown): void {
    const webhook = this.webhooks.find((w) => w.id === id);
    if (!webhook) return send(res, 404, { errors: 'Not Found' });
    const input = (body as { webhook?: Partial<FakeWebhook> } | undefined)?.webhook ?? {};
    if (input.address) webhook.address = input.address;
    if (input.format) webhook.format = input.format;
    webhook.updated_at = new Date().toISOString();
    send(res, 200, { webhook });
  }

  private deleteWebhook(res: ServerResponse, id: number): void {
    const index = this.webhooks.findIndex((w) => w.id === id);
    if (index < 0) return send(res, 404, { errors: 'Not Found' });
    this.webhooks.splice(index, 1);
    send(res, 200, {});
  }

  /** REST `PUT /customers/{id}.json` with `sms_marketing_consent` (the legacy way). */
  private updateCustomer(res: ServerResponse, id: string, body: unknown): void {
    const customer = this.customers.get(id);
    if (!customer) return send(res, 404, { errors: 'Not Found' });
    const consent = (body as { customer?: { sms_marketing_consent?: Partial<FakeCustomer['sms_marketing_consent']> } } | undefined)?.customer?.sms_marketing_consent;
    if (consent) Object.assign(customer.sms_marketing_consent, consent);
    send(res, 200, { customer });
  }

  /** GraphQL: only `customerSmsMarketingConsentUpdate`, answered with Shopify's payload shape and cost extension. */
  private graphql(res: ServerResponse, body: { query?: string; variables?: Record<string, unknown> } | undefined): void {
    const cost = { extensions: { cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } } } };
    if (!body?.query?.includes('customerSmsMarketingConsentUpdate')) {
      return send(res, 200, { errors: [{ message: 'Field is not supported by the fake', locations: [{ line: 1, column: 1 }] }], ...cost });
    }
    const input = body.variables?.input as { customerId?: string; smsMarketingConsent?: { marketingState?: string; marketingOptInLevel?: string } } | undefined;
    const id = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(input?.customerId ?? '')?.[1];
    const customer = id ? this.customers.get(id) : undefined;
    if (!customer) {
      return send(res, 200, { data: { customerSmsMarketingConsentUpdate: { customer: null, userErrors: [{ field: ['input', 'customerId'], message: 'Customer does not exist', code: 'INVALID' }] } }, ...cost });
    }
    if (!customer.phone) {
      return send(res, 200, { data: { customerSmsMarketingConsentUpdate: { customer: null, userErrors: [{ field: ['input', 'smsMarketingConsent'], message: 'Phone is required to update SMS consent', code: 'MISSING_ARGUMENT' }] } }, ...cost });
    }
    const state = input?.smsMarketingConsent?.marketingState ?? 'NOT_SUBSCRIBED';
    customer.sms_marketing_consent = {
      state: state.toLowerCase(),
      opt_in_level: (input?.smsMarketingConsent?.marketingOptInLevel ?? customer.sms_marketing_consent.opt_in_level ?? 'single_opt_in').toLowerCase(),
      consent_updated_at: new Date().toISOString(),
      consent_collected_from: 'OTHER',
    };
    send(res, 200, {
      data: {
        customerSmsMarketingConsentUpdate: {
          customer: {
            id: `gid://shopify/Customer/${customer.id}`,
            smsMarketingConsent: {
              marketingState: customer.sms_marketing_consent.state.toUpperCase(),
              marketingOptInLevel: customer.sms_marketing_consent.opt_in_level?.toUpperCase() ?? null,
              consentUpdatedAt: customer.sms_marketing_consent.consent_updated_at,
            },
          },
          userErrors: [],
        },
      },
      ...cost,
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Shopify-Shop-Api-Call-Limit': '1/40', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The repository's HubSpot fixtures (test/fixtures/hubspot), in HubSpot's documented webhook and CRM v3 shapes. */
export const HUBSPOT_FIXTURES = join(__dirname, '../fixtures/hubspot');

export function hubspotFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(HUBSPOT_FIXTURES, name), 'utf8')) as T;
}

/** Extra endpoints on the same server (api.hubapi.com serves CRM, OAuth and webhooks). */
export interface HubspotVendorExtension {
  /** True when it answered the request. */
  handle(method: string, url: URL, body: string, answer: (status: number, payload: unknown) => void): boolean;
  acceptsToken(token: string): boolean;
}

export interface FakeCrmCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
  /** What the fake answered. */
  status: number;
}

interface StoredObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

interface Failure {
  remaining: number;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  matches: (method: string, path: string) => boolean;
}

const ALWAYS_RETURNED = ['createdate', 'lastmodifieddate', 'hs_object_id'];

/**
 * A local stand-in for HubSpot's CRM API (node:http), speaking its JSON: contacts by id and in
 * batch, deal/meeting → contact associations (v4, single and batch), contact PATCH, HubSpot's
 * error bodies, and 429s on demand. Every call is recorded.
 */
export class FakeHubspotCrm {
  readonly calls: FakeCrmCall[] = [];
  private readonly contacts = new Map<string, StoredObject>();
  private readonly associations = new Map<string, number[]>();
  private readonly properties = new Map<string, { fieldType: string; type: string; options: string[] }>();
  private readonly failures: Failure[] = [];
  private server?: Server;
  private oauth?: HubspotVendorExtension;

  constructor(readonly accessToken = 'pat-na1-fake-token-0000') {}

  /** Seeds the fixture contact and the fixture deal's association. */
  static async start(accessToken?: string): Promise<FakeHubspotCrm> {
    const fake = new FakeHubspotCrm(accessToken);
    const contact = hubspotFixture<StoredObject>('crm-contact-208114730058.json');
    fake.putContact(contact.id, contact.properties);
    const deal = hubspotFixture<{ results: { toObjectId: number }[] }>('crm-deal-41226677889-associations-contacts.json');
    fake.associate('deals', '41226677889', deal.results.map((r) => String(r.toObjectId)));
    fake.defineProperty('optline_sms_opted_out', 'booleancheckbox', ['true', 'false']);
    await fake.listen();
    return fake;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the fake is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  putContact(id: string, properties: Record<string, string | null>): void {
    const now = new Date().toISOString();
    this.contacts.set(id, { id, properties: { ...properties, hs_object_id: id }, createdAt: properties.createdate ?? now, updatedAt: properties.lastmodifieddate ?? now, archived: false });
  }

  contact(id: string): StoredObject | undefined {
    return this.contacts.get(id);
  }

  associate(fromType: string, fromId: string, contactIds: string[]): void {
    this.associations.set(`${fromType}/${fromId}`, contactIds.map(Number));
  }

  /** A custom contact property the portal has (`GET /crm/v3/properties/contacts/{name}` answers it). */
  defineProperty(name: string, fieldType: 'booleancheckbox' | 'select' | 'text', options: string[] = []): void {
    this.properties.set(name, { fieldType, type: fieldType === 'text' ? 'string' : fieldType === 'booleancheckbox' ? 'bool' : 'enumeration', options });
  }

  /**
   * The next `times` calls matching (all calls by default) answer `status` with HubSpot's body:
   * 429 answers fixtures/hubspot/error-429.json (TEN_SECONDLY_ROLLING).
   */
  failNext(times: number, options: { status?: number; body?: unknown; headers?: Record<string, string>; method?: string; pathPrefix?: string } = {}): void {
    const status = options.status ?? 429;
    this.failures.push({
      remaining: times,
      status,
      body: options.body ?? (status === 429 ? hubspotFixture('error-429.json') : { status: 'error', message: 'Internal error', category: 'INTERNAL_ERROR', correlationId: 'fake' }),
      headers: options.headers ?? {},
      matches: (method, path) => (!options.method || options.method === method) && (!options.pathPrefix || path.startsWith(options.pathPrefix)),
    });
  }

  /** Serves HubSpot's OAuth and webhooks endpoints too (test/fakes/hubspot-oauth.fake.ts), and accepts the tokens it issues. */
  attach(extension: HubspotVendorExtension): void {
    this.oauth = extension;
  }

  /** Forgets failures that were asked for and not used up. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  callsTo(method: string, pathPrefix: string): FakeCrmCall[] {
    return this.calls.filter((c) => c.method === method && c.path.startsWith(pathPrefix));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    return new Promise((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const call: FakeCrmCall = { method, path: url.pathname, query: url.searchParams, body, authorization: req.headers.authorization, status: 0 };
    this.calls.push(call);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };

    const failure = this.failures.find((f) => f.remaining > 0 && f.matches(method, url.pathname));
    if (failure) {
      failure.remaining--;
      return answer(failure.status, failure.body, failure.headers);
    }
    if (this.oauth?.handle(method, url, text, answer)) return;
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : '';
    if (bearer !== this.accessToken && !this.oauth?.acceptsToken(bearer)) {
      return answer(401, {
        status: 'error',
        message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
        correlationId: 'fake-401',
        category: 'INVALID_AUTHENTICATION',
      });
    }
    this.route(method, url, body, answer);
  }

  private route(method: string, url: URL, body: unknown, answer: (status: number, payload: unknown) => void): void {
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && (m = path.match(/^\/crm\/v3\/objects\/contacts\/(\d+)$/))) {
      const contact = this.contacts.get(m[1]);
      if (!contact) return answer(404, notFound());
      return answer(200, this.view(contact, url.searchParams.getAll('properties').flatMap((p) => p.split(','))));
    }
    if (method === 'GET' && path === '/crm/v3/objects/contacts') {
      const limit = Number(url.searchParams.get('limit') ?? 10);
      return answer(200, { results: [...this.contacts.values()].slice(0, limit).map((c) => this.view(c, [])) });
    }
    if (method === 'GET' && (m = path.match(/^\/crm\/v3\/properties\/contacts\/(\w+)$/))) {
      const property = this.properties.get(m[1]);
      if (!property) return answer(404, { status: 'error', message: `Unable to find property ${m[1]}`, correlationId: 'fake-404', category: 'OBJECT_NOT_FOUND' });
      return answer(200, {
        name: m[1],
        label: m[1],
        type: property.type,
        fieldType: property.fieldType,
        groupName: 'contactinformation',
        description: '',
        options: property.options.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
        hidden: false,
        formField: true,
        hubspotDefined: false,
        createdAt: '2025-11-01T00:00:00.000Z',
        updatedAt: '2025-11-01T00:00:00.000Z',
        archived: false,
      });
    }
    if (method === 'POST' && path === '/crm/v3/objects/contacts/batch/read') {
      const input = body as { inputs?: { id: string }[]; properties?: string[] };
      const ids = (input.inputs ?? []).map((i) => String(i.id));
      const found = ids.map((id) => this.contacts.get(id)).filter((c): c is StoredObject => !!c);
      const missing = ids.filter((id) => !this.contacts.has(id));
      const now = new Date().toISOString();
      const results = found.map((c) => this.view(c, input.properties ?? []));
      if (missing.length === 0) return answer(200, { status: 'COMPLETE', results, startedAt: now, completedAt: now });
      return answer(207, {
        status: 'COMPLETE',
        results,
        numErrors: 1,
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: missing } }],
        startedAt: now,
        completedAt: now,
      });
    }
    if (method === 'PATCH' && (m = path.match(/^\/crm\/v3\/objects\/contacts\/(\d+)$/))) {
      const contact = this.contacts.get(m[1]);
      if (!contact) return answer(404, notFound());
      const properties = (body as { properties?: Record<string, string> }).properties ?? {};
      contact.properties = { ...contact.properties, ...properties, lastmodifieddate: new Date().toISOString() };
      contact.updatedAt = contact.properties.lastmodifieddate!;
      return answer(200, this.view(contact, Object.keys(properties)));
    }
    if (method === 'GET' && (m = path.match(/^\/crm\/v4\/objects\/(\w+)\/(\d+)\/associations\/contacts$/))) {
      const ids = this.associations.get(`${m[1]}/${m[2]}`) ?? [];
      return answer(200, { results: ids.map(associated) });
    }
    if (method === 'POST' && (m = path.match(/^\/crm\/v4\/associations\/(\w+)\/contacts\/batch\/read$/))) {
      const inputs = (body as { inputs?: { id: string }[] }).inputs ?? [];
      const now = new Date().toISOString();
      const results = inputs
        .map((i) => ({ id: String(i.id), ids: this.associations.get(`${m![1]}/${i.id}`) ?? [] }))
        .filter((r) => r.ids.length > 0)
        .map((r) => ({ from: { id: r.id }, to: r.ids.map(associated) }));
      return answer(200, { status: 'COMPLETE', results, startedAt: now, completedAt: now });
    }
    answer(404, { status: 'error', message: `no route ${method} ${path} in the fake`, category: 'OBJECT_NOT_FOUND', correlationId: 'fake-404' });
  }

  /** The object as the CRM API answers it: the asked-for properties plus the ones HubSpot always returns. */
  private view(contact: StoredObject, properties: string[]) {
    // Asked-for properties come back even when empty (as null); the always-returned ones only when set.
    const shown: Record<string, string | null> = {};
    for (const name of properties) shown[name] = contact.properties[name] ?? null;
    for (const name of ALWAYS_RETURNED) if (name in contact.properties) shown[name] = contact.properties[name];
    return { id: contact.id, properties: shown, createdAt: contact.createdAt, updatedAt: contact.updatedAt, archived: false };
  }
}

const notFound = () => ({ status: 'error', message: 'resource not found', correlationId: 'fake-404', category: 'OBJECT_NOT_FOUND' });

const associated = (id: number) => ({ toObjectId: id, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }] });

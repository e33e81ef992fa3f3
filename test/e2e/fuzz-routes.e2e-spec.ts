import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fc from 'fast-check';
import { twilioSignature } from '../fakes/twilio-fake';
import { TestHub, TestWorkspace } from '../utils/test-hub';

/**
 * Property-based fuzzing of every route in the hub's OpenAPI document (built in-process): each
 * route gets generated path parameters, query strings, headers and bodies — of the right shape
 * (from the route's schema) and of the wrong one, with NULs, unicode, huge and deep values, bad
 * ids and unsigned or badly signed webhook bodies. Every answer must be below 500 and come within
 * the per-request timeout; afterwards valid requests still succeed and are stored.
 *
 * Runs per route: FUZZ_RUNS (default 6; the file stays under 30 s). FUZZ_SEED replays a run; FUZZ_VERBOSE=1
 * prints the answers by class and the routes that answered 2xx (how deep the inputs reached);
 * FUZZ_ONLY="PATCH /v1/workspace" fuzzes the routes whose "METHOD /path" contains it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const REQUEST_TIMEOUT_MS = 5_000;
const HTTP_SECRET = 'fuzz-carrier-signing-secret-0123';
const TWILIO_AUTH_TOKEN = '5a1b2c3d4e5f60718293a4b5c6d7e8f9';
const PUBLIC_URL = 'https://hub.optline.test';
const MIDDAY = new Date('2026-11-20T17:00:00Z');

/** Routes left out: a server-sent event stream never ends by design. */
const SKIPPED = new Set(['GET /v1/conversations/stream']);

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  example?: unknown;
};

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema?: Schema }[];
  body?: { type: string; schema?: Schema };
}

interface FuzzRequest {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: { type: string; payload: unknown };
}

/** Strings that broke parsers, validators and databases elsewhere. */
const weirdString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '%00',
    '\uD800',
    '\u202E\u0645\u0631\u062D\u0628\u0627',
    '💥'.repeat(300),
    'x'.repeat(5_000),
    '9'.repeat(40),
    '-1',
    '1e309',
    'NaN',
    'null',
    'true',
    '{{ contact.firstName }}',
    '{% for x in (1..99999999) %}{% endfor %}',
    "'; DROP TABLE contact; --",
    '../../../../etc/passwd',
    '<script>alert(1)</script>',
    '+14155550123',
    'ada@example.com',
    '2026-13-45T99:99:99Z',
    '+275760-09-13T00:00:00.000Z',
    'P99999999999Y',
    'PT-1H',
    '__proto__',
    'constructor',
  ),
);

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  weirdString,
  fc.constant(null),
  fc.array(weirdString, { maxLength: 5 }),
  fc.dictionary(weirdString, fc.oneof(weirdString, fc.integer(), fc.constant(null)), { maxKeys: 6 }),
  // deeper than any real payload
  fc.integer({ min: 60, max: 3_000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown),
);

/** A failing request, short enough to read (and safe to print however deep its body). */
function summarize(req: FuzzRequest | undefined): string {
  if (!req) return 'an unknown request';
  let body: string;
  try {
    body = JSON.stringify(req.body?.payload) ?? 'none';
  } catch {
    body = '(too deep to print)';
  }
  return `${req.path} body(${req.body?.type ?? 'none'})=${body.slice(0, 300)}`;
}

/** Lone surrogates cannot be URL-encoded: a client sends U+FFFD in their place. */
const wellFormed = (text: string): string => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** A generated value as a query string value. */
const asText = (value: unknown): string => wellFormed(typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'));

function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 10; hops++) current = components[current.$ref.replace('#/components/schemas/', '')];
  return current;
}

/** Values of the schema's shape (with weird leaves), or anything when the schema says little. */
function shaped(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (!s || depth > 5) return anyJson;
  const wrong = anyJson;
  let right: fc.Arbitrary<unknown>;
  if (s.enum?.length) right = fc.constantFrom(...s.enum);
  else if (s.allOf?.length) right = shaped(s.allOf[0], components, depth + 1);
  else if (s.oneOf?.length || s.anyOf?.length) right = fc.oneof(...(s.oneOf ?? s.anyOf)!.map((x) => shaped(x, components, depth + 1)));
  else if (s.type === 'string') right = s.format === 'uuid' ? fc.uuid() : s.format === 'date-time' ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) : weirdString;
  else if (s.type === 'integer' || s.type === 'number') right = fc.oneof(fc.integer({ min: -5, max: 1_000 }), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0));
  else if (s.type === 'boolean') right = fc.boolean();
  else if (s.type === 'array') right = fc.array(shaped(s.items, components, depth + 1), { maxLength: 4 });
  else if (s.properties) {
    const props = Object.fromEntries(Object.entries(s.properties).map(([key, value]) => [key, shaped(value, components, depth + 1)]));
    right = fc.record(props, { requiredKeys: (s.required ?? []).filter((key) => key in props) });
  } else right = anyJson;
  // The documented example is a valid value: it carries requests past validation into the handlers.
  if (s.example !== undefined && s.example !== null) right = fc.oneof({ arbitrary: fc.constant(s.example), weight: 3 }, { arbitrary: right, weight: 1 });
  // Mostly the right shape (reaching the handlers), sometimes a wrong value in its place.
  return fc.oneof({ arbitrary: right, weight: 6 }, { arbitrary: wrong, weight: 1 });
}

function operationsOf(document: ReturnType<typeof SwaggerModule.createDocument>): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, { parameters?: Operation['params']; requestBody?: { content?: Record<string, { schema?: Schema }> } }>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      const type = Object.keys(content)[0];
      out.push({ method, path, params: op.parameters ?? [], body: type ? { type, schema: content[type].schema } : undefined });
    }
  }
  return out;
}

describe('fuzzing every route of the OpenAPI document', () => {
  let hub: TestHub;
  let ws: TestWorkspace;
  let auth: string;
  let components: Record<string, Schema>;
  let operations: Operation[];
  const ids: string[] = [];

  const signHttp = (timestamp: number, raw: string) => `sha256=${createHmac('sha256', HTTP_SECRET).update(`${timestamp}.${raw}`).digest('hex')}`;
  let carrier: Server;
  const carrierUrl = () => `http://127.0.0.1:${(carrier.address() as AddressInfo).port}`;
  const useHttpProvider = async () =>
    hub.http().put('/v1/sms-provider').set('Authorization', auth).send({ kind: 'http', url: carrierUrl(), signingSecret: HTTP_SECRET, from: '+15005550006' }).expect(200);

  beforeAll(async () => {
    // A carrier that takes every text (replies to fuzzed inbound texts go out through it).
    carrier = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: `carrier-${Date.now()}-${Math.random()}` })));
    });
    await new Promise<void>((done) => carrier.listen(0, '127.0.0.1', done));
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
    ws = await hub.createWorkspace();
    auth = await ws.auth();
    await useHttpProvider();
    const contact = await hub.http().post('/v1/contacts').set('Authorization', auth).send({ phone: '+13125550700', attributes: { tier: 'gold' } }).expect(201);
    const group = await hub.http().post('/v1/groups').set('Authorization', auth).send({ name: 'Fuzz' }).expect(201);
    const agent = await hub.http().post('/v1/agents').set('Authorization', auth).send({ displayName: 'Fuzz' }).expect(201);
    const twilioWs = await hub.createWorkspace({ name: 'Fuzz Twilio' });
    await hub
      .http()
      .put('/v1/sms-provider')
      .set('Authorization', await twilioWs.auth())
      .send({ kind: 'twilio', accountSid: 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c', authToken: TWILIO_AUTH_TOKEN, from: '+15005550006', apiBaseUrl: carrierUrl() })
      .expect(200);
    ids.push(ws.id, twilioWs.id, contact.body.id, group.body.id, agent.body.id);
    const document = SwaggerModule.createDocument(hub.app, new DocumentBuilder().build());
    components = (document.components?.schemas ?? {}) as Record<string, Schema>;
    const only = process.env.FUZZ_ONLY; // e.g. "PATCH /v1/workspace": one route, to look closer
    operations = operationsOf(document).filter((op) => !SKIPPED.has(`${op.method.toUpperCase()} ${op.path}`) && (!only || `${op.method.toUpperCase()} ${op.path}`.includes(only)));
  });
  afterAll(async () => {
    await hub.close();
    await new Promise((done) => carrier.close(done));
  });

  /** A request for this route: parameters, query, headers and body drawn from the generators. */
  function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const paramValue = fc.oneof(fc.constantFrom(...ids), fc.uuid(), weirdString, fc.constantFrom('shopify', 'hubspot', 'web-forms', 'google-calendar'));
    const isHook = op.path.startsWith('/hooks/');
    return fc.record({
      params: fc.tuple(...pathParams.map(() => paramValue)),
      query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fc.oneof(shaped(p.schema, components), weirdString).map(asText)])), { requiredKeys: [] }),
      extraQuery: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).map(wellFormed), weirdString.map(wellFormed), { maxKeys: 2 }), { nil: undefined }),
      authorization: fc.oneof({ arbitrary: fc.constant(auth), weight: 6 }, fc.constant(undefined), fc.constantFrom('Bearer olk_00000000_nope', 'Basic Zm9vOmJhcg==', 'Bearer ')),
      signature: isHook ? fc.constantFrom('good', 'bad', 'none') : fc.constant('none'),
      body: op.body
        ? op.body.type === 'application/json'
          ? shaped(op.body.schema, components).map((payload) => ({ type: 'json', payload }))
          : op.body.type === 'text/csv'
            ? fc.oneof(weirdString, fc.constant('phone\n+13125550701\n\u0000,x')).map((payload) => ({ type: 'csv', payload }))
            : fc.dictionary(fc.string({ maxLength: 12 }).map(wellFormed), weirdString.map(wellFormed), { maxKeys: 8 }).map((payload) => ({ type: 'form', payload }))
        : isHook
          ? fc.oneof(anyJson.map((payload) => ({ type: 'json', payload })), fc.dictionary(fc.constantFrom('MessageSid', 'From', 'To', 'Body', 'MessageStatus', 'ErrorCode', 'OptOutType', 'x'), fc.oneof(weirdString, fc.constantFrom('+13125550702', 'SM00000000000000000000000000000001', 'delivered', 'STOP')).map(wellFormed)).map((payload) => ({ type: 'form', payload })))
          : fc.constant(undefined),
    }).map(({ params, query, extraQuery, authorization, signature, body }) => {
      let i = 0;
      const path = op.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(wellFormed(String(params[i++]))));
      const headers: Record<string, string> = {};
      if (authorization) headers.Authorization = authorization;
      const allQuery = { ...(extraQuery ?? {}), ...(query as Record<string, string>) };
      const search = new URLSearchParams(allQuery).toString();
      const url = search ? `${path}?${search}` : path;
      if (signature !== 'none') {
        const timestamp = Math.floor(MIDDAY.getTime() / 1000);
        const good = signature === 'good';
        headers['X-Optline-Timestamp'] = String(timestamp);
        headers['X-Optline-Signature'] = good && body?.type === 'json' ? signHttp(timestamp, JSON.stringify(body.payload)) : 'sha256=00';
        // Signed as Twilio signs (the public URL with its query, the form's fields) when asked to be good.
        headers['X-Twilio-Signature'] = good && body?.type === 'form' ? twilioSignature(TWILIO_AUTH_TOKEN, `${PUBLIC_URL}${url}`, body.payload as Record<string, string>) : 'bm90LWEtc2lnbmF0dXJl';
        headers['X-Shopify-Hmac-Sha256'] = 'bm90LWEtc2lnbmF0dXJl';
      }
      return { path: url, query: {}, headers, body };
    });
  }

  async function send(op: Operation, req: FuzzRequest) {
    let call = hub.http()[op.method as 'get'](req.path).query(req.query).timeout({ response: REQUEST_TIMEOUT_MS, deadline: REQUEST_TIMEOUT_MS * 2 });
    for (const [name, value] of Object.entries(req.headers)) call = call.set(name, value);
    if (req.body?.type === 'json') call = call.set('Content-Type', 'application/json').send(JSON.stringify(req.body.payload) ?? 'null');
    else if (req.body?.type === 'csv') call = call.set('Content-Type', 'text/csv').send(String(req.body.payload));
    else if (req.body?.type === 'form') call = call.type('form').send(req.body.payload as Record<string, string>);
    return call;
  }

  it('answers every generated request below 500, in time', async () => {
    const failures: string[] = [];
    const statuses = new Map<string, number>();
    for (const op of operations) {
      const details = await fc.check(
        fc.asyncProperty(requestArb(op), async (req) => {
          let status: number;
          try {
            status = (await send(op, req)).status;
          } catch (error) {
            throw new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms: ${(error as Error).message}`);
          }
          const key = `${Math.floor(status / 100)}xx`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (status < 300) statuses.set(`${op.method.toUpperCase()} ${op.path}`, 1);
          if (status >= 500) throw new Error(`answered ${status}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      if (details.failed) {
        // Printed by hand: fast-check's own report overflows on the deepest generated bodies.
        const [req] = details.counterexample ?? [];
        failures.push(`${op.method.toUpperCase()} ${op.path}: ${String((details.errorInstance as Error | undefined)?.message)} for ${summarize(req)}`);
      }
    }
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`${JSON.stringify(Object.fromEntries(statuses), null, 1)}\n`);
    expect(failures).toEqual([]);
    if (!process.env.FUZZ_ONLY) expect(operations.length).toBeGreaterThan(90);
  }, 60_000 + RUNS * 4_000);

  it('still takes and stores valid requests afterwards', async () => {
    await useHttpProvider(); // the fuzzing may have replaced the provider settings
    const created = await hub.http().post('/v1/contacts').set('Authorization', auth).send({ phone: '+13125550799', firstName: 'After' }).expect(201);
    const [row] = await hub.dataSource.query('SELECT first_name FROM contact WHERE id = $1 AND workspace_id = $2', [created.body.id, ws.id]);
    expect(row).toEqual({ first_name: 'After' });

    const raw = JSON.stringify({ id: 'after-fuzz-1', from: '+13125550799', body: 'Hello after the fuzz' });
    const timestamp = Math.floor(MIDDAY.getTime() / 1000);
    const inbound = await hub.http().post(`/hooks/sms/http/${ws.id}`).set('Content-Type', 'application/json').set('X-Optline-Timestamp', String(timestamp)).set('X-Optline-Signature', signHttp(timestamp, raw)).send(raw).expect(200);
    const stored = await hub.dataSource.query(`SELECT body FROM message WHERE id = $1 AND direction = 'inbound'`, [inbound.body.messageId]);
    expect(stored).toEqual([{ body: 'Hello after the fuzz' }]);
  });
});

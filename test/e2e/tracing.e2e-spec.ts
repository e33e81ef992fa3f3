import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PluginRegistry } from '@optline/plugin-sdk';
import { SignedJsonTestPlugin, signTestBody } from '../../libs/plugin-sdk/testing';
import { TestHub } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

const SECRET = 'test-signing-secret-0002';
/** The sender's own trace (W3C example ids): the hub's spans continue it. */
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
  status?: { code?: number };
}

/** A collector that speaks OTLP/HTTP with JSON bodies, as the OpenTelemetry exporter sends them. */
class FakeCollector {
  readonly spans: (OtlpSpan & { service: string })[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces' && req.headers['content-type'] === 'application/json') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
          };
          for (const rs of body.resourceSpans) {
            const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
            for (const ss of rs.scopeSpans) for (const span of ss.spans) this.spans.push({ ...span, service });
          }
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          res.writeHead(404).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  named(name: string, traceId: string): OtlpSpan | undefined {
    return this.spans.find((s) => s.name === name && s.traceId === traceId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const attribute = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;

describe('tracing: a webhook to its provider hand-off, as one OpenTelemetry trace', () => {
  let hub: TestHub;
  let collector: FakeCollector;
  let plugin: SignedJsonTestPlugin;

  beforeAll(async () => {
    collector = new FakeCollector();
    await collector.start();
    hub = await TestHub.start({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'optline-test' } });
    hub.manualClock.set(new Date('2026-03-10T17:00:00Z')); // noon in Chicago
    plugin = new SignedJsonTestPlugin();
    hub.get(PluginRegistry).register(plugin);
  });
  afterAll(async () => {
    await hub?.close();
    await collector?.close();
  });

  /** A workspace with the signed-JSON test plugin configured and enabled. */
  async function withPlugin() {
    const ws = await hub.createWorkspace();
    const auth = await ws.auth();
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Shop', secret: SECRET } }).expect(200);
    const installation = (await hub.http().post(`/v1/plugins/${plugin.id}/enable`).set('Authorization', auth).expect(200)).body.installation as { id: string };
    return { ws, auth, installation };
  }

  /** A webhook delivery signed with `secret`, carrying the sender's `traceparent`. */
  function deliver(installationId: string, raw: string, options: { secret: string; traceparent: string }) {
    return hub
      .http()
      .post(`/hooks/${plugin.id}/${installationId}`)
      .set('Content-Type', 'application/json')
      .set('X-Test-Signature', signTestBody(options.secret, raw))
      .set('traceparent', options.traceparent)
      .send(raw);
  }

  it('webhook → event dispatch → hand-off: spans of one trace, each the child of the one before, continuing the sender’s traceparent', async () => {
    const { ws, auth, installation } = await withPlugin();
    const flow = await hub
      .http()
      .post('/v1/flows')
      .set('Authorization', auth)
      .send({
        name: 'Order thanks',
        messageType: 'marketing',
        trigger: { events: ['order.created'] },
        reentry: { mode: 'always' },
        steps: [{ id: 'thanks', type: 'send', template: '{{ workspace.brandName }}: thanks for your order! Reply STOP to opt out.' }],
      })
      .expect(201);
    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', auth).expect(200);

    const raw = JSON.stringify({ events: [{ id: 't-1', type: 'order.created', at: '2026-03-10T16:59:00Z', phone: '+13125550190', consent: 'opted_in', data: {} }] });
    await deliver(installation.id, raw, { secret: SECRET, traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` }).expect(200);

    const message = await waitFor('the thank-you text to be sent', async () => {
      const rows = await hub.dataSource.query(`SELECT id, origin FROM message WHERE workspace_id = $1 AND direction = 'outbound' AND status = 'sent'`, [ws.id]);
      return rows[0] as { id: string; origin: { trace?: string } } | undefined;
    });
    const [event] = await hub.dataSource.query('SELECT id, trace_context FROM trigger_event WHERE workspace_id = $1', [ws.id]);
    expect(event.trace_context).toMatch(new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-01$`));

    const spans = await waitFor('the three spans to reach the collector', () => {
      const found = ['webhook test-signed-json', 'event.dispatch', 'sms.handoff'].map((name) => collector.named(name, CALLER_TRACE));
      return found.every(Boolean) ? (found as OtlpSpan[]) : null;
    });
    const [webhook, dispatch, handoff] = spans;
    expect(webhook.parentSpanId).toBe(CALLER_SPAN);
    expect(dispatch.parentSpanId).toBe(webhook.spanId);
    expect(handoff.parentSpanId).toBe(dispatch.spanId);
    expect(webhook.kind).toBe(2); // SERVER
    expect(handoff.kind).toBe(3); // CLIENT
    expect(attribute(dispatch, 'optline.event_id')).toBe(event.id);
    expect(attribute(dispatch, 'optline.event_status')).toBe('processed');
    expect(attribute(handoff, 'optline.message_id')).toBe(message.id);
    expect(attribute(handoff, 'optline.provider')).toBe('console');
    expect(collector.spans.filter((s) => s.traceId === CALLER_TRACE).every((s) => s.service === 'optline-test')).toBe(true);
    // The message keeps where its trace is, for whoever looks it up later.
    expect(message.origin.trace).toBe(`00-${CALLER_TRACE}-${dispatch.spanId}-01`);
    const api = await hub.http().get(`/v1/messages/${message.id}`).set('Authorization', auth).expect(200);
    expect(api.body.origin.trace).toBe(message.origin.trace);
  });

  it('a refused signature is a span with an error status, and nothing is stored', async () => {
    const { ws, installation } = await withPlugin();
    const trace = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const raw = JSON.stringify({ events: [{ id: 't-2', type: 'order.created', at: '2026-03-10T16:59:00Z', phone: '+13125550191', data: {} }] });
    await deliver(installation.id, raw, { secret: 'not-the-secret-000000', traceparent: `00-${trace}-${CALLER_SPAN}-01` }).expect(401);
    const span = await waitFor('the refused delivery’s span', () => collector.named('webhook test-signed-json', trace) ?? null);
    expect(span.status?.code).toBe(2); // ERROR
    expect(collector.named('event.dispatch', trace)).toBeUndefined();
    expect(await hub.dataSource.query('SELECT id FROM trigger_event WHERE workspace_id = $1', [ws.id])).toEqual([]);
  });
});

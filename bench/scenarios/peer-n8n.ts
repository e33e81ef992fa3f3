/**
 * peer (n8n): the same job on the hub and on n8n 2.8.4, in the same run, driven by the same load
 * tool (autocannon: the same number of checkout webhooks, each a new checkout of a new customer,
 * over the same connections), each sending one text per webhook to the same local fake SMS
 * provider over HTTP. Messages/s = texts the provider received ÷ (last text − first request).
 * The hub runs its pipeline flow (bench/scenarios/pipeline.ts) with the `http` provider kind
 * (signed JSON POST); n8n runs Webhook → HTTP Request (bench/lib/n8n.ts). Target: hub ≥ 20 × n8n.
 */
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { freePort, HubClient, ScratchDatabase, startHub } from '../lib/hub';
import { installN8n, N8N_VERSION, n8nInstalled, startN8n } from '../lib/n8n';
import { atLeast, check, ScenarioContext, ScenarioResult } from '../lib/scenario';
import { checkoutFixture, installShopify, shopifyHeaders, startShopifyFake } from '../lib/shopify';
import { round } from '../lib/stats';
import { checkoutBody, ONE_STEP_FLOW } from './pipeline';

/**
 * Fewer than the ingest scenario's 50: at 50 on the shared 2-core machine n8n's SQLite health
 * check timed out and it answered most webhooks 503 "Database is not ready!" — a ratio against a
 * peer that refuses work would flatter the hub.
 */
const CONNECTIONS = 20;

/** The fake carrier: answers `{ id }` to each POST and remembers when each numbered text came. */
class FakeSmsProvider {
  private server: Server | null = null;
  /** phone → arrival (ms, performance.now()) of its first text. */
  readonly arrivals = new Map<string, number>();
  duplicates = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const at = performance.now();
        let to: unknown;
        try {
          to = (JSON.parse(body) as { to?: unknown }).to;
        } catch {
          to = undefined;
        }
        if (typeof to === 'string') {
          if (this.arrivals.has(to)) this.duplicates += 1;
          else this.arrivals.set(to, at);
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `fake-${randomUUID()}` }));
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', () => done()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }

  reset(): void {
    this.arrivals.clear();
    this.duplicates = 0;
  }

  async until(count: number, deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (this.arrivals.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }

  async stop(): Promise<void> {
    await new Promise((done) => this.server?.close(done));
  }
}

interface SideResult {
  messagesPerSecond: number;
  received: number;
  accepted: number;
  p99RequestMs: number;
  statuses: Record<number, number>;
}

/** `amount` webhooks through autocannon; webhook i carries phone i, so arrivals are counted per phone. */
async function drive(url: string, amount: number, offset: number, fixture: string, headers: (body: string) => Record<string, string>, fake: FakeSmsProvider, deadlineMs: number): Promise<SideResult> {
  fake.reset();
  let next = 0;
  const statuses: Record<number, number> = {};
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const body = checkoutBody(fixture, offset + next++);
          return { ...request, body, headers: headers(body) };
        },
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  await fake.until(result['2xx'], deadlineMs);
  const last = fake.arrivals.size > 0 ? Math.max(...fake.arrivals.values()) : started;
  return {
    messagesPerSecond: fake.arrivals.size > 0 ? fake.arrivals.size / ((last - started) / 1000) : 0,
    received: fake.arrivals.size,
    accepted: result['2xx'],
    p99RequestMs: result.latency.p99,
    statuses,
  };
}

export async function runPeerN8n(ctx: ScenarioContext, options: { install: boolean }): Promise<ScenarioResult | null> {
  if (!n8nInstalled()) {
    if (!options.install) {
      ctx.log('peer: n8n is not installed — skipped (npm run bench -- --peer n8n installs it)');
      return null;
    }
    installN8n(ctx.log);
  }
  const started = performance.now();
  const amount = ctx.quick ? 300 : 2_000;
  const fixture = checkoutFixture();
  const fake = new FakeSmsProvider();
  const providerUrl = await fake.start();
  try {
    // The hub: pipeline flow, http provider → fake.
    const shopify = await startShopifyFake();
    const db = await ScratchDatabase.create('peer');
    const port = await freePort();
    const hub = await startHub(db, port, { BENCH_SHOPIFY_ADMIN_URL: shopify.url });
    let hubSide: SideResult;
    let hubRss: number;
    try {
      const client = new HubClient(port);
      const ws = await client.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
      await client.api('PUT', '/v1/sms-provider', ws.token, { kind: 'http', url: providerUrl, signingSecret: 'whsec_bench_0123456789abcdef' });
      const installationId = await installShopify(client, ws.token);
      const flow = await client.api<{ id: string }>('POST', '/v1/flows', ws.token, ONE_STEP_FLOW);
      await client.api('POST', `/v1/flows/${flow.id}/activate`, ws.token);
      ctx.log(`peer: hub, ${amount} checkout webhooks → flow → http provider (autocannon, ${CONNECTIONS} connections)`);
      hubSide = await drive(`http://127.0.0.1:${port}/hooks/shopify/${installationId}`, amount, 0, fixture, (body) => shopifyHeaders(body), fake, ctx.quick ? 60_000 : 300_000);
      hubRss = hub.peakRssMb();
    } finally {
      await hub.stop();
      await shopify.stop();
      await db.drop();
    }

    ctx.log(`peer: n8n ${N8N_VERSION}, starting (SQLite, fresh user folder)`);
    // n8n's task broker takes the next port: two free ports apart is enough in practice.
    const n8n = await startN8n(await freePort(), providerUrl);
    let n8nSide: SideResult;
    let n8nRss: number;
    try {
      // The workflow is activated a few seconds after /healthz answers, and while n8n migrates it
      // answers every path 200 "n8n is starting up. Please wait": wait for the webhook's own answer.
      for (let i = 0; ; i++) {
        const status = await fetch(n8n.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"probe":true}', signal: AbortSignal.timeout(30_000) })
          .then(async (res) => `${res.status} ${await res.text()}`)
          .catch((error: unknown) => String(error));
        if (status.startsWith('200') && status.includes('Workflow was started')) break;
        if (i > 240) throw new Error(`n8n webhook never registered: ${status}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      ctx.log(`peer: n8n, ${amount} checkout webhooks → Webhook → HTTP Request (autocannon, ${CONNECTIONS} connections)`);
      n8nSide = await drive(n8n.webhookUrl, amount, amount, fixture, () => ({ 'content-type': 'application/json' }), fake, ctx.quick ? 120_000 : 600_000);
      n8nRss = n8n.peakRssMb();
    } finally {
      await n8n.stop();
    }

    const ratio = n8nSide.messagesPerSecond > 0 ? hubSide.messagesPerSecond / n8nSide.messagesPerSecond : Number.NaN;
    return {
      name: 'peer n8n',
      parameters: { webhooks: amount, connections: CONNECTIONS, loadTool: 'autocannon', n8n: N8N_VERSION, provider: 'local fake over HTTP (both)' },
      figures: {
        hubMessagesPerSecond: round(hubSide.messagesPerSecond, 1),
        n8nMessagesPerSecond: round(n8nSide.messagesPerSecond, 1),
        hubReceived: hubSide.received,
        n8nReceived: n8nSide.received,
        hubP99RequestMs: hubSide.p99RequestMs,
        n8nP99RequestMs: n8nSide.p99RequestMs,
        hubPeakRssMb: round(hubRss, 0),
        n8nPeakRssMb: round(n8nRss, 0),
        duplicateTexts: fake.duplicates,
      },
      baseline: { name: `n8n ${N8N_VERSION}`, value: round(n8nSide.messagesPerSecond, 1), unit: 'msg/s' },
      headline: { name: 'hub webhook → SMS', value: round(hubSide.messagesPerSecond, 1), unit: 'msg/s' },
      ratio: round(ratio, 2),
      targets: [atLeast('ratio hub/n8n', round(ratio, 2), 20)],
      correctness: [
        check('the hub sent one text per accepted webhook', hubSide.received === amount && hubSide.accepted === amount, `${hubSide.accepted} accepted, ${hubSide.received} texts of ${amount}; statuses ${JSON.stringify(hubSide.statuses)}`),
      ],
      // The peer's own behaviour is reported, not judged: only the hub's correctness fails a run.
      notes: [`n8n answered ${n8nSide.accepted} of ${amount} webhooks 2xx (statuses ${JSON.stringify(n8nSide.statuses)}) and sent ${n8nSide.received} texts`],
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await fake.stop();
  }
}

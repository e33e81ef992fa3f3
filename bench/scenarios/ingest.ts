/**
 * ingest: signed Shopify `checkouts/update` webhooks with distinct webhook ids at
 * POST /hooks/shopify/:installationId, 50 connections for 10 s (autocannon), beside a bare NestJS
 * route that parses the same JSON body. Afterwards every 2xx-accepted delivery must be in
 * trigger_event exactly once.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { freePort, HubClient, ScratchDatabase, startHub } from '../lib/hub';
import { startProcess } from '../lib/processes';
import { atLeast, atMost, check, ScenarioContext, ScenarioResult } from '../lib/scenario';
import { checkoutFixture, installShopify, shopifyHeaders, startShopifyFake } from '../lib/shopify';
import { round } from '../lib/stats';


export async function runIngest(ctx: ScenarioContext): Promise<ScenarioResult> {
  const started = performance.now();
  const duration = ctx.quick ? 3 : 10;
  const connections = 50;
  const body = checkoutFixture();
  const barePort = await freePort();

  ctx.log(`ingest: baseline (bare NestJS route), ${duration} s × ${connections} connections`);
  const bare = await startProcess(
    ['-r', '@swc-node/register', resolve(__dirname, '../baselines/bare-nest-server.ts')],
    { PORT: String(barePort) },
    `http://127.0.0.1:${barePort}/health`,
    'bare-nest-server',
  );
  let baseline;
  try {
    baseline = await autocannon({ url: `http://127.0.0.1:${barePort}/hooks/bare`, method: 'POST', connections, duration, headers: shopifyHeaders(body, '[<id>]'), body, idReplacement: true });
  } finally {
    await bare.stop();
  }
  const baselineRps = baseline['2xx'] / duration;

  const fake = await startShopifyFake();
  const db = await ScratchDatabase.create('ingest');
  const port = await freePort();
  const hub = await startHub(db, port, { BENCH_SHOPIFY_ADMIN_URL: fake.url });
  try {
    const client = new HubClient(port);
    const ws = await client.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
    const installationId = await installShopify(client, ws.token);
    ctx.log(`ingest: hub, ${duration} s × ${connections} connections`);
    await hub.profileMark();

    // One request in flight per connection (no pipelining), so the connection's context says
    // which webhook id an answer belongs to.
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          path: `/hooks/shopify/${installationId}`,
          body,
          setupRequest: (request, context) => {
            const id = randomUUID();
            context.webhookId = id;
            return { ...request, headers: shopifyHeaders(body, id) };
          },
          onResponse: (status, _body, context) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 200 && status < 300) accepted.push(context.webhookId as string);
          },
        },
      ],
    });
    const acceptedRps = result['2xx'] / duration;

    const sql = await db.client();
    try {
      const stored = await sql.query<{ total: string; distinct: string; found: string; found_rows: string }>(
        `SELECT count(*) AS total, count(DISTINCT dedupe_key) AS distinct,
                count(DISTINCT dedupe_key) FILTER (WHERE dedupe_key = ANY($2)) AS found,
                count(*) FILTER (WHERE dedupe_key = ANY($2)) AS found_rows
           FROM trigger_event WHERE installation_id = $1`,
        [installationId, accepted],
      );
      const row = stored.rows[0];
      const total = Number(row.total);
      const distinct = Number(row.distinct);
      const found = Number(row.found);
      const foundRows = Number(row.found_rows);
      const ratio = acceptedRps / baselineRps;
      return {
        name: 'ingest',
        parameters: { durationSeconds: duration, connections, bodyBytes: Buffer.byteLength(body), topic: 'checkouts/update' },
        figures: {
          acceptedPerSecond: round(acceptedRps, 0),
          accepted: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          storedEvents: total,
          baselinePerSecond: round(baselineRps, 0),
          baselineP50Ms: baseline.latency.p50,
          baselineP99Ms: baseline.latency.p99,
          hubPeakRssMb: round(hub.peakRssMb(), 0),
        },
        baseline: { name: 'bare NestJS route', value: round(baselineRps, 0), unit: 'req/s' },
        headline: { name: 'accepted webhooks', value: round(acceptedRps, 0), unit: 'req/s' },
        ratio: round(ratio, 3),
        targets: [atLeast('ratio hub/bare', round(ratio, 3), 0.5), atMost('p99 latency', result.latency.p99, 50, ' ms'), atMost('hub peak RSS', round(hub.peakRssMb(), 0), 512, ' MB')],
        correctness: [
          check('some deliveries accepted', result['2xx'] > 0, `${result['2xx']} × 2xx; statuses ${JSON.stringify(Object.fromEntries(statuses))}`),
          check('every accepted delivery stored exactly once', found === accepted.length && foundRows === accepted.length, `${accepted.length} accepted, ${found} of them stored (${foundRows} rows)`),
          check('no duplicate events', total === distinct, `${total} rows, ${distinct} distinct dedupe keys (requests cut off at the end may add stored-but-unanswered ones)`),
        ],
        notes: [],
        seconds: round((performance.now() - started) / 1000, 1),
      };
    } finally {
      await sql.end();
    }
  } finally {
    await hub.stop();
    await fake.stop();
    await db.drop();
  }
}

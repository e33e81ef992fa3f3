/**
 * soak (`--soak MINUTES`, issue 25: 30 minutes): signed checkout webhooks at half the ingest rate
 * measured in this run, held for MINUTES, while the hub's resident memory (VmRSS) is read every
 * 5 s. Reported: peak RSS and the slope of RSS over the second half of the run (MB per minute,
 * least squares) — flat memory is a slope near zero; the first half is left out because V8
 * grows its heap towards its cap while it warms up. Every accepted delivery must be stored once.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { freePort, HubClient, ScratchDatabase, startHub } from '../lib/hub';
import { atMost, check, ScenarioContext, ScenarioResult } from '../lib/scenario';
import { checkoutFixture, installShopify, shopifyHeaders, startShopifyFake } from '../lib/shopify';
import { round } from '../lib/stats';


function rssMbOf(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? Number.NaN : num / den;
}

export async function runSoak(ctx: ScenarioContext, minutes: number, ingestRate: number): Promise<ScenarioResult> {
  const started = performance.now();
  const rate = Math.max(1, Math.round(ingestRate / 2));
  const body = checkoutFixture();
  const fake = await startShopifyFake();
  const db = await ScratchDatabase.create('soak');
  const port = await freePort();
  const hub = await startHub(db, port, { BENCH_SHOPIFY_ADMIN_URL: fake.url });
  try {
    const client = new HubClient(port);
    const ws = await client.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
    const installationId = await installShopify(client, ws.token);
    ctx.log(`soak: ${minutes} min of webhooks at ${rate} req/s (half of ${round(ingestRate, 0)}), RSS every 5 s`);
    const samples: { x: number; y: number }[] = [];
    const t0 = performance.now();
    const sampler = setInterval(() => {
      try {
        samples.push({ x: (performance.now() - t0) / 60_000, y: rssMbOf(hub.child.pid!) });
      } catch {
        // the hub is gone; the checks below say so
      }
    }, 5_000);
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    let result;
    try {
      result = await autocannon({
        url: `http://127.0.0.1:${port}`,
        connections: 10,
        duration: Math.round(minutes * 60),
        overallRate: rate,
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
    } finally {
      clearInterval(sampler);
    }
    const secondHalf = samples.filter((s) => s.x >= minutes / 2);
    const mbPerMinute = slope(secondHalf);
    const peak = hub.peakRssMb();
    const sql = await db.client();
    let found = 0;
    try {
      const stored = await sql.query<{ found: string }>(`SELECT count(*) FILTER (WHERE dedupe_key = ANY($2)) AS found FROM trigger_event WHERE installation_id = $1`, [installationId, accepted]);
      found = Number(stored.rows[0].found);
    } finally {
      await sql.end();
    }
    return {
      name: 'soak',
      parameters: { minutes, requestsPerSecond: rate, connections: 10, rssSampleSeconds: 5 },
      figures: {
        accepted: result['2xx'],
        p99Ms: result.latency.p99,
        rssStartMb: round(samples[0]?.y ?? Number.NaN, 0),
        rssEndMb: round(samples.at(-1)?.y ?? Number.NaN, 0),
        hubPeakRssMb: round(peak, 0),
        rssSlopeMbPerMinute: round(mbPerMinute, 2),
        samples: samples.length,
      },
      baseline: null,
      headline: { name: 'RSS slope, second half', value: round(mbPerMinute, 2), unit: 'MB/min' },
      ratio: null,
      targets: [atMost('hub peak RSS', round(peak, 0), 512, ' MB')],
      correctness: [
        check('some deliveries accepted', result['2xx'] > 0, `${result['2xx']} × 2xx; statuses ${JSON.stringify(Object.fromEntries(statuses))}`),
        check('every accepted delivery stored', found === accepted.length, `${accepted.length} accepted, ${found} stored`),
      ],
      notes: [`RSS samples (minute, MB): ${samples.filter((_, i) => i % 12 === 0).map((s) => `${s.x.toFixed(1)}:${s.y.toFixed(0)}`).join(' ')}`],
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await hub.stop();
    await fake.stop();
    await db.drop();
  }
}

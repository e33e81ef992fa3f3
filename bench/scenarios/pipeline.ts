/**
 * pipeline: N signed Shopify `checkouts/update` webhooks (each a new checkout of a new customer)
 * start an active one-step transactional flow; measured until the last message is `sent` by the
 * null provider. Messages/s end to end and p99 event-to-provider latency come from SQL
 * (trigger_event.received_at → message.sent_at). Baseline: bare Bull no-op jobs on the same Redis.
 */
import { Agent, request } from 'node:http';
import { bullNoopJobsPerSecond } from '../baselines/bull-noop';
import { freePort, HubClient, phoneOf, REDIS, ScratchDatabase, startHub } from '../lib/hub';
import { atLeast, atMost, check, ScenarioContext, ScenarioResult } from '../lib/scenario';
import { checkoutFixture, installShopify, shopifyHeaders, startShopifyFake } from '../lib/shopify';
import { round } from '../lib/stats';


/** One transactional send: exempt from quiet hours (exemptTransactional) and frequency caps. */
export const ONE_STEP_FLOW = {
  name: 'Bench: checkout notice',
  messageType: 'transactional',
  trigger: { events: ['checkout.updated'], correlationKey: 'checkoutToken' },
  reentry: { mode: 'always' },
  steps: [{ id: 'notify', type: 'send', template: '{{ workspace.brandName }}: we saved your cart. Reply STOP to opt out.' }],
};

/** The fixture with its phone, checkout token and customer id made unique for event `i`. */
export function checkoutBody(fixture: string, i: number): string {
  return fixture
    .replaceAll('+13055550148', phoneOf(i))
    .replaceAll('e4b8d27f1c90', `bench${String(i).padStart(8, '0')}`)
    .replaceAll('7390085526', String(8_000_000_000 + i));
}

function post(agent: Agent, port: number, path: string, body: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, agent, headers: shopifyHeaders(body) }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** `reporting: false` starts the hub with REPORTING=off (bench/run.ts compares both in one run). */
export interface PipelineOptions {
  reporting?: boolean;
}

export async function runPipeline(ctx: ScenarioContext, options: PipelineOptions = {}): Promise<ScenarioResult> {
  const reporting = options.reporting ?? true;
  const started = performance.now();
  const events = ctx.quick ? 500 : 20_000;

  ctx.log(`pipeline: baseline (bare Bull no-op, ${events} jobs, concurrency 50)`);
  const baselineJobs = await bullNoopJobsPerSecond(REDIS, events, 50);

  const fake = await startShopifyFake();
  const db = await ScratchDatabase.create('pipeline');
  const port = await freePort();
  const hub = await startHub(db, port, { BENCH_SHOPIFY_ADMIN_URL: fake.url, REPORTING: reporting ? 'on' : 'off' });
  const sql = await db.client();
  try {
    const client = new HubClient(port);
    const ws = await client.createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
    await client.api('PUT', '/v1/sms-provider', ws.token, { kind: 'null' });
    const installationId = await installShopify(client, ws.token);
    const flow = await client.api<{ id: string }>('POST', '/v1/flows', ws.token, ONE_STEP_FLOW);
    await client.api('POST', `/v1/flows/${flow.id}/activate`, ws.token);

    ctx.log(`pipeline: ${events} checkout webhooks → one-step flow → null provider`);
    const fixture = checkoutFixture();
    await hub.profileMark();
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < events) {
          const status = await post(agent, port, `/hooks/shopify/${installationId}`, checkoutBody(fixture, next++));
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    agent.destroy();
    const postedSeconds = (performance.now() - started) / 1000;
    const acceptedEvents = (statuses.get(200) ?? 0) + (statuses.get(202) ?? 0);

    // Wait until every message has left (or a generous deadline passes).
    const deadline = Date.now() + (ctx.quick ? 60_000 : 600_000);
    let last = performance.now();
    let done = 0;
    for (;;) {
      const res = await sql.query<{ done: string }>(`SELECT count(*) AS done FROM message WHERE workspace_id = $1 AND direction = 'outbound' AND status NOT IN ('queued', 'deferred', 'sending')`, [ws.id]);
      done = Number(res.rows[0].done);
      if (done >= acceptedEvents || Date.now() > deadline) break;
      if (performance.now() - last > 10_000) {
        ctx.log(`  ${done} / ${events} messages out`);
        last = performance.now();
      }
      await new Promise((r) => setTimeout(r, 250));
    }

    const measured = await sql.query<{ sent: string; other: string; runs: string; events_with_message: string; first_received: Date; last_sent: Date; p50: number; p99: number; max: number }>(
      `SELECT count(*) FILTER (WHERE m.status = 'sent') AS sent,
              count(*) FILTER (WHERE m.status <> 'sent') AS other,
              count(DISTINCT r.id) AS runs,
              count(DISTINCT e.id) FILTER (WHERE m.status = 'sent') AS events_with_message,
              (SELECT min(received_at) FROM trigger_event WHERE workspace_id = $1) AS first_received,
              max(m.sent_at) AS last_sent,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.sent_at - e.received_at) * 1000) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM m.sent_at - e.received_at) * 1000) AS p99,
              max(extract(epoch FROM m.sent_at - e.received_at) * 1000) AS max
         FROM message m
         JOIN flow_run r ON r.id = (m.origin->>'flowRunId')::uuid
         JOIN trigger_event e ON e.id = r.trigger_event_id
        WHERE m.workspace_id = $1 AND m.direction = 'outbound'`,
      [ws.id],
    );
    const row = measured.rows[0];
    const sent = Number(row.sent);
    const seconds = (new Date(row.last_sent).getTime() - new Date(row.first_received).getTime()) / 1000;
    const perSecond = sent / seconds;
    const ratio = perSecond / baselineJobs;
    const reasons = await sql.query<{ status: string; reason: string | null; n: string }>(
      `SELECT status, reason, count(*) AS n FROM message WHERE workspace_id = $1 AND status <> 'sent' GROUP BY 1, 2`,
      [ws.id],
    );
    return {
      name: reporting ? 'pipeline' : 'pipeline (reporting off)',
      parameters: { events, flow: 'one transactional send step on checkout.updated', provider: 'null', postConcurrency: 50, reporting },
      figures: {
        messagesPerSecond: round(perSecond, 0),
        sent,
        endToEndSeconds: round(seconds, 1),
        webhooksPostedSeconds: round(postedSeconds, 1),
        p50EventToProviderMs: round(row.p50, 0),
        p99EventToProviderMs: round(row.p99, 0),
        maxEventToProviderMs: round(row.max, 0),
        baselineJobsPerSecond: round(baselineJobs, 0),
        hubPeakRssMb: round(hub.peakRssMb(), 0),
      },
      baseline: { name: 'bare Bull no-op, concurrency 50', value: round(baselineJobs, 0), unit: 'jobs/s' },
      headline: { name: 'messages end to end', value: round(perSecond, 0), unit: 'msg/s' },
      ratio: round(ratio, 3),
      targets: [
        atLeast('ratio hub/Bull', round(ratio, 3), 0.15),
        atMost('p99 event → provider', round(row.p99, 0), 2000, ' ms'),
        atMost('hub peak RSS', round(hub.peakRssMb(), 0), 512, ' MB'),
      ],
      correctness: [
        check('every webhook accepted', acceptedEvents === events, JSON.stringify(Object.fromEntries(statuses))),
        check('one sent message per event', sent === events && Number(row.events_with_message) === events && Number(row.other) === 0, `${sent} sent for ${row.events_with_message} events of ${events}; ${row.other} not sent ${JSON.stringify(reasons.rows)}`),
      ],
      notes: [],
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await sql.end();
    await hub.stop();
    await fake.stop();
    await db.drop();
  }
}

/**
 * fanout: a one-step marketing flow enrolled for a group of N generated contacts — 10 % opted out,
 * 5 % opted in but on the suppression list, 85 % opted in — through every gateway policy to the
 * null provider. Data is set up through the product's API: CSV import with consent columns and
 * an explicit mid-day time zone, suppression CSV import, a group filled by bulk member adds.
 * Baseline: multi-row INSERT of N rows in batches of 500 on the same Postgres.
 *
 * check: afterwards, SendGateway.check for random contacts of the same set, in-process
 * (bench/lib/check-probe.js), p50/p99 and decisions/s; each verdict must match the contact's class.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { batchedInsertRowsPerSecond } from '../baselines/batched-insert';
import { HubClient, hubEnv, middayZone, phoneOf, ScratchDatabase, startHub } from '../lib/hub';
import { atLeast, atMost, check, ScenarioContext, ScenarioResult } from '../lib/scenario';
import { round } from '../lib/stats';

const HUB_PORT = 3933;
type ContactClass = 'in' | 'out' | 'sup';

/** 2 in 20 opted out, 1 in 20 suppressed (but opted in), the rest opted in. */
export const classOf = (i: number): ContactClass => (i % 20 < 2 ? 'out' : i % 20 === 2 ? 'sup' : 'in');

/** The class is written as the contact's first name, so SQL can prove who got what. */
function* contactsCsv(n: number, zone: string): Generator<string> {
  yield 'phone,first_name,consent,consent_timestamp,time_zone\n';
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const cls = classOf(i);
    chunk += `${phoneOf(i)},${cls},${cls === 'out' ? 'opted_out' : 'opted_in'},2025-06-01T12:00:00Z,${zone}\n`;
    if ((i + 1) % 5000 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function* suppressionCsv(n: number): Generator<string> {
  yield 'phone,reason\n';
  let chunk = '';
  for (let i = 0; i < n; i++) {
    if (classOf(i) === 'sup') chunk += `${phoneOf(i)},bench do-not-contact\n`;
    if ((i + 1) % 20_000 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export const MARKETING_FLOW = {
  name: 'Bench: campaign',
  messageType: 'marketing',
  trigger: { events: [] },
  reentry: { mode: 'always' },
  steps: [{ id: 'offer', type: 'send', template: '{{ workspace.brandName }}: 20% off everything this weekend. Reply STOP to opt out.' }],
};

export async function runFanoutAndCheck(ctx: ScenarioContext, wanted: { fanout: boolean; check: boolean }): Promise<ScenarioResult[]> {
  const n = ctx.contacts;
  const results: ScenarioResult[] = [];
  const started = performance.now();
  const db = await ScratchDatabase.create('fanout');
  let baselineRows = Number.NaN;
  if (wanted.fanout) {
    ctx.log(`fanout: baseline (multi-row INSERT of ${n} rows, batches of 500)`);
    baselineRows = await batchedInsertRowsPerSecond(db.url, n);
  }
  const hub = await startHub(db, HUB_PORT);
  const sql = await db.client();
  try {
    const client = new HubClient(HUB_PORT);
    const zone = middayZone();
    const ws = await client.createWorkspace({ defaultCountry: 'US', timeZone: zone });
    await client.api('PUT', '/v1/sms-provider', ws.token, { kind: 'null' });

    ctx.log(`fanout: importing ${n} contacts (zone ${zone}) through POST /v1/contacts/import`);
    const setupStarted = performance.now();
    const upload = await client.upload<{ id: string }>('/v1/contacts/import?fileName=bench.csv&consentTypes=marketing', ws.token, contactsCsv(n, zone));
    const imported = await client.waitForImport(ws.token, upload.id, (rows) => ctx.log(`  import: ${rows} rows read`));
    const suppressed = await client.upload<{ added: number; rejected: number }>('/v1/suppression/import', ws.token, suppressionCsv(n));
    const group = await client.api<{ id: string }>('POST', '/v1/groups', ws.token, { name: 'Bench campaign' });
    // Contact ids are read from SQL (the bench's only shortcut: paging GET /v1/contacts would do
    // the same); membership itself goes through the API in 10,000-id batches.
    const ids = (await sql.query<{ id: string }>('SELECT id FROM contact WHERE workspace_id = $1 ORDER BY id', [ws.id])).rows.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 10_000) await client.api('POST', `/v1/groups/${group.id}/members`, ws.token, { contactIds: ids.slice(i, i + 10_000) });
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    ctx.log(`fanout: set up in ${setupSeconds.toFixed(0)} s (${imported.created} contacts, ${suppressed.added} suppressed, group of ${ids.length})`);

    if (wanted.fanout) {
      const flow = await client.api<{ id: string }>('POST', '/v1/flows', ws.token, MARKETING_FLOW);
      await client.api('POST', `/v1/flows/${flow.id}/activate`, ws.token);
      ctx.log(`fanout: enrolling the group and sending`);
      const rssBefore = hub.peakRssMb();
      const t0 = performance.now();
      const t0Wall = Date.now();
      const enrolled = await client.api<{ enrolled: number }>('POST', `/v1/flows/${flow.id}/enroll`, ws.token, { groupId: group.id });
      const enrolSeconds = (performance.now() - t0) / 1000;
      ctx.log(`  enrolled ${enrolled.enrolled} in ${enrolSeconds.toFixed(1)} s`);
      const deadline = Date.now() + Math.max(120_000, n * 20);
      let last = performance.now();
      let done = 0;
      for (;;) {
        const res = await sql.query<{ done: string }>(`SELECT count(*) AS done FROM message WHERE workspace_id = $1 AND status IN ('sent', 'blocked', 'failed')`, [ws.id]);
        done = Number(res.rows[0].done);
        if (done >= n || Date.now() > deadline) break;
        if (performance.now() - last > 10_000) {
          ctx.log(`  ${done} / ${n} messages decided`);
          last = performance.now();
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      const end = await sql.query<{ last: Date }>(`SELECT max(updated_at) AS last FROM message WHERE workspace_id = $1`, [ws.id]);
      const seconds = (new Date(end.rows[0].last).getTime() - t0Wall) / 1000;
      const peakRss = hub.peakRssMb();

      const byClass = await sql.query<{ cls: string; status: string; reason: string | null; n: string; contacts: string; phones: string }>(
        `SELECT c.first_name AS cls, m.status, m.reason, count(*) AS n, count(DISTINCT m.contact_id) AS contacts, count(DISTINCT m.phone) AS phones
           FROM message m JOIN contact c ON c.id = m.contact_id
          WHERE m.workspace_id = $1 AND m.direction = 'outbound'
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [ws.id],
      );
      const count = (cls: string, status: string) => byClass.rows.filter((r) => r.cls === cls && r.status === status).reduce((s, r) => s + Number(r.n), 0);
      const sentRows = byClass.rows.filter((r) => r.status === 'sent');
      const sent = sentRows.reduce((s, r) => s + Number(r.n), 0);
      const dup = await sql.query<{ dup: string }>(
        `SELECT count(*) AS dup FROM (SELECT contact_id FROM message WHERE workspace_id = $1 AND status = 'sent' GROUP BY contact_id HAVING count(*) > 1) d`,
        [ws.id],
      );
      const expected = n - 3 * (Math.floor(n / 20)) - [0, 1, 2].filter((k) => k < n % 20).length;
      const perSecond = sent / seconds;
      const ratio = perSecond / baselineRows;
      results.push({
        name: 'fanout',
        parameters: { contacts: n, optedOut: '10%', suppressed: '5%', messageType: 'marketing', provider: 'null', zone },
        figures: {
          messagesPerSecond: round(perSecond, 0),
          decisionsPerSecond: round(n / seconds, 0),
          sent,
          blockedOptedOut: count('out', 'blocked'),
          blockedSuppressed: count('sup', 'blocked'),
          seconds: round(seconds, 1),
          enrolSeconds: round(enrolSeconds, 1),
          setupSeconds: round(setupSeconds, 1),
          importRowsPerSecond: round(n / ((new Date(imported.finishedAt).getTime() - new Date(imported.startedAt).getTime()) / 1000), 0),
          hubPeakRssMb: round(peakRss, 0),
          hubPeakRssBeforeEnrolMb: round(rssBefore, 0),
          baselineRowsPerSecond: round(baselineRows, 0),
        },
        baseline: { name: 'multi-row INSERT, batches of 500', value: round(baselineRows, 0), unit: 'rows/s' },
        headline: { name: 'campaign messages sent', value: round(perSecond, 0), unit: 'msg/s' },
        ratio: round(ratio, 4),
        targets: [atLeast('ratio hub/INSERT', round(ratio, 4), 0.05), atMost('hub peak RSS', round(peakRss, 0), 512, ' MB')],
        correctness: [
          check(`exactly 0.85·N sent`, sent === expected, `${sent} sent, expected ${expected}`),
          check('zero sent to opted-out or suppressed numbers', count('out', 'sent') === 0 && count('sup', 'sent') === 0, `opted-out sent ${count('out', 'sent')}, suppressed sent ${count('sup', 'sent')}`),
          check('no contact texted twice', Number(dup.rows[0].dup) === 0, `${dup.rows[0].dup} contacts with more than one sent message`),
          check('every contact decided', done === n, `${done} of ${n} messages sent/blocked/failed; ${JSON.stringify(byClass.rows.map((r) => [r.cls, r.status, r.reason, Number(r.n)]))}`),
        ],
        notes: [],
        seconds: round((performance.now() - started) / 1000, 1),
      });
    }

    if (wanted.check) results.push(await runCheck(ctx, db, ws.id, sql));
    return results;
  } finally {
    await sql.end();
    await hub.stop();
    await db.drop();
  }
}

async function runCheck(ctx: ScenarioContext, db: ScratchDatabase, workspaceId: string, sql: import('pg').Client): Promise<ScenarioResult> {
  const started = performance.now();
  const iterations = ctx.quick ? 2_000 : 20_000;
  const sample = await sql.query<{ id: string; cls: string }>(`SELECT id, first_name AS cls FROM contact WHERE workspace_id = $1 ORDER BY random() LIMIT 5000`, [workspaceId]);
  const input = join(tmpdir(), `optline-bench-check-${process.pid}.json`);
  writeFileSync(input, JSON.stringify({ workspaceId, iterations, warmup: 500, contacts: sample.rows }));
  ctx.log(`check: ${iterations} SendGateway.check calls in-process (HUB_ROLE=api)`);
  const { stdout } = await promisify(execFile)(process.execPath, [resolve(__dirname, '../lib/check-probe.js')], {
    env: { ...process.env, ...hubEnv(db, 0, { HUB_ROLE: 'api' }), BENCH_CHECK_INPUT: input },
    maxBuffer: 1 << 20,
  });
  const probe = JSON.parse(stdout.trim().split('\n').at(-1)!) as { latenciesMs: { p50: number; p99: number; max: number }; perSecond: number; verdicts: Record<string, Record<string, number>> };
  const expected: Record<string, string> = { in: 'allowed', out: 'block:consent', sup: 'block:suppression' };
  const wrong = Object.entries(probe.verdicts).flatMap(([cls, outcomes]) => Object.entries(outcomes).filter(([key]) => key !== expected[cls]).map(([key, count]) => `${cls} → ${key} × ${count}`));
  return {
    name: 'check',
    parameters: { iterations, warmup: 500, sampledContacts: sample.rows.length, type: 'marketing', via: 'SendGateway.check in-process' },
    figures: { p50Ms: round(probe.latenciesMs.p50, 3), p99Ms: round(probe.latenciesMs.p99, 3), maxMs: round(probe.latenciesMs.max, 2), decisionsPerSecond: round(probe.perSecond, 0) },
    baseline: null,
    headline: { name: 'policy decisions (sequential)', value: round(probe.perSecond, 0), unit: 'checks/s' },
    ratio: null,
    targets: [atMost('p99 latency', round(probe.latenciesMs.p99, 3), 2, ' ms')],
    correctness: [check('each verdict matches the contact (opted in → allowed, opted out → consent, suppressed → suppression)', wrong.length === 0, wrong.length ? wrong.join('; ') : JSON.stringify(probe.verdicts))],
    notes: [],
    seconds: round((performance.now() - started) / 1000, 1),
  };
}

/**
 * `npm run chaos` — real faults against real processes (docs/chaos.md). The suite starts its own
 * Postgres and Redis, N api + M worker processes of the built hub and a local carrier, then runs
 * one campaign per scenario with inbound traffic and injects that scenario's fault mid-campaign:
 *
 *   baseline · kill-one-worker · kill-all-workers · redis-flushall · redis-restart ·
 *   postgres-restart · api-kill-webhooks · stop-storm
 *
 * It prints one row per scenario — lost, doubled, texts after opt-out, rate-limit violations,
 * misrecorded statuses — and exits non-zero when any of them is above zero.
 *
 *   npm run chaos -- [--quick] [--recipients N] [--api N] [--workers M] [--only a,b] [--overlap|--isolated] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isAbsolute, join, relative, resolve } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { ensureBuilt, HubClient } from '../bench/lib/hub';
import { CampaignWorkspace, enrol, setUpCampaign, startTraffic, Traffic } from './lib/campaign';
import { Carrier } from './lib/carrier';
import { HUB_DIST, HubFleet } from './lib/fleet';
import { freePort, OwnPostgres, OwnRedis } from './lib/infra';
import { GATED, measure, rateTolerance, Row } from './lib/measure';

interface Options {
  quick: boolean;
  recipients: number;
  api: number;
  workers: number;
  only: string[] | null;
  overlap: boolean;
  keep: boolean;
}

interface World {
  pg: OwnPostgres;
  redis: OwnRedis;
  fleet: HubFleet;
  log: (line: string) => void;
}

interface Scenario {
  name: string;
  what: string;
  /** Sender rate (messages per second) of the scenario's workspace. */
  rate: (o: Options) => number;
  stopShare: number;
  chatterPerSecond: (o: Options) => number;
  /** Injected once the carrier has seen this share of the campaign. */
  faultAt: number;
  fault: ((w: World) => Promise<void>) | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What most scenarios share: the sender's rate, 2 % STOPs, light inbound chatter, the fault at 30 %. */
const STANDARD: Pick<Scenario, 'rate' | 'stopShare' | 'chatterPerSecond' | 'faultAt'> = {
  rate: (o) => (o.quick ? 40 : 100),
  stopShare: 0.02,
  chatterPerSecond: (o) => (o.quick ? 4 : 10),
  faultAt: 0.3,
};

const SCENARIOS: Scenario[] = [
  { name: 'baseline', what: 'no fault: the control row', ...STANDARD, faultAt: 0, fault: null },
  {
    name: 'kill-one-worker',
    what: 'SIGKILL of one worker process mid-campaign, restarted 2 s later',
    ...STANDARD,
    fault: async (w) => {
      await w.fleet.kill('worker', 0);
      await sleep(2000);
      await w.fleet.restart('worker', 0);
    },
  },
  {
    name: 'kill-all-workers',
    what: 'SIGKILL of every worker process mid-campaign, restarted 2 s later',
    ...STANDARD,
    fault: async (w) => {
      const n = w.fleet.count('worker');
      await Promise.all(Array.from({ length: n }, (_, i) => w.fleet.kill('worker', i)));
      await sleep(2000);
      await Promise.all(Array.from({ length: n }, (_, i) => w.fleet.restart('worker', i)));
    },
  },
  {
    name: 'redis-flushall',
    what: 'FLUSHALL mid-campaign: every job, timer and rate-limit booking gone',
    ...STANDARD,
    fault: async (w) => {
      const redis = new Redis(w.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      await redis.flushall();
      redis.disconnect();
    },
  },
  {
    name: 'redis-restart',
    what: 'Redis SIGKILLed mid-campaign and started empty 2 s later',
    ...STANDARD,
    fault: (w) => w.redis.restart(2000),
  },
  {
    name: 'postgres-restart',
    what: 'Postgres stopped like a crash (pg_ctl -m immediate) mid-campaign and started again',
    ...STANDARD,
    fault: (w) => w.pg.restart(),
  },
  {
    name: 'api-kill-webhooks',
    what: 'SIGKILL of one api process under inbound webhook load (STOPs among it), restarted 2 s later',
    ...STANDARD,
    stopShare: 0.1,
    chatterPerSecond: (o) => (o.quick ? 20 : 40),
    fault: async (w) => {
      const index = w.fleet.count('api') - 1;
      await w.fleet.kill('api', index);
      await sleep(2000);
      await w.fleet.restart('api', index);
    },
  },
  {
    name: 'stop-storm',
    what: 'a throttled campaign while a fifth of its recipients send STOP in bursts',
    ...STANDARD,
    rate: (o) => (o.quick ? 20 : 50),
    stopShare: 0.2,
    faultAt: 0,
    fault: null,
  },
];

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, recipients: 0, api: 2, workers: 3, only: null, overlap: false, keep: false };
  let overlap: boolean | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') o.quick = true;
    else if (arg === '--recipients') o.recipients = Number(argv[++i]);
    else if (arg === '--api') o.api = Number(argv[++i]);
    else if (arg === '--workers') o.workers = Number(argv[++i]);
    else if (arg === '--only') o.only = argv[++i].split(',');
    else if (arg === '--overlap') overlap = true;
    else if (arg === '--isolated') overlap = false;
    else if (arg === '--keep') o.keep = true;
    else throw new Error(`unknown option ${arg} (see chaos/run.ts or docs/chaos.md)`);
  }
  if (o.recipients === 0) o.recipients = o.quick ? 400 : 10_000;
  if (!(Number.isInteger(o.recipients) && o.recipients >= 50 && o.recipients <= 100_000)) throw new Error('--recipients must be a whole number from 50 to 100000');
  if (!(Number.isInteger(o.api) && o.api >= 1 && o.api <= 8)) throw new Error('--api must be 1 to 8');
  if (!(Number.isInteger(o.workers) && o.workers >= 1 && o.workers <= 8)) throw new Error('--workers must be 1 to 8');
  const unknown = (o.only ?? []).filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`--only: unknown scenario ${unknown.join(', ')} (${SCENARIOS.map((s) => s.name).join(', ')})`);
  // --quick overlaps scenarios (each one's recovery runs under the next one's fault) to stay within minutes.
  o.overlap = overlap ?? o.quick;
  return o;
}

interface Running {
  scenario: Scenario;
  ws: CampaignWorkspace;
  traffic: Traffic;
  enrolled: number;
  startedAt: number;
  faultAt: number | null;
}

async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(250);
  }
  return false;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  // The carrier stamps arrivals in a process of its own (decision 0264); this process's delay is
  // printed beside the recorder's, which is the clock of the rate column.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  if (!process.env.CHAOS_HUB_DIST) ensureBuilt(log);
  else log(`hub build: ${HUB_DIST}`);
  const dir = mkdtempSync(join(tmpdir(), 'optline-chaos-'));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir);
  const pg = new OwnPostgres(dir, await freePort());
  const redis = new OwnRedis(dir, await freePort());
  const apiPorts = await Promise.all(Array.from({ length: options.api }, () => freePort()));
  const fleet = new HubFleet({ databaseUrl: `${pg.url}/optline_chaos`, redisUrl: redis.url, apiPorts, workers: options.workers, logDir, publicUrl: `http://127.0.0.1:${apiPorts[0]}` });
  const carrier = new Carrier(() => fleet.liveApiPorts(), 10);
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    fleet.killAllNow();
    redis.kill();
    pg.stopNow('immediate');
    if (options.keep) process.stderr.write(`kept ${dir} (logs, postgres.log)\n`);
    else rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  process.once('exit', cleanup);
  // The whole run is bounded too: whatever hangs, nothing outlives this.
  const limitMinutes = options.quick ? 30 : 120;
  setTimeout(() => {
    process.stderr.write(`chaos: the run exceeded ${limitMinutes} minutes; stopping everything\n`);
    cleanup();
    process.exit(1);
  }, limitMinutes * 60_000).unref();

  const rows: Row[] = [];
  // A 5xx to the customer's own API call is a finding even when the retry went through.
  const enrolErrors: string[] = [];
  const failures: string[] = [];
  let sql: Pool | null = null;
  let recorderLoop: { p99Ms: number; maxMs: number } | null = null;
  try {
    log(`own Postgres on ${pg.port}, own Redis on ${redis.port}, in ${dir}`);
    await pg.init();
    await redis.start();
    await carrier.start();
    log(`carrier on ${carrier.port}; starting ${options.api} api + ${options.workers} worker processes (api 1 migrates first)`);
    await fleet.startAll();
    sql = new Pool({ connectionString: `${pg.url}/optline_chaos`, max: 3 });
    sql.on('error', () => undefined); // a Postgres restart cuts idle connections; the pool opens new ones
    const hub = new HubClient(apiPorts[0]);
    const world: World = { pg, redis, fleet, log };
    const chosen = SCENARIOS.filter((s) => options.only === null || options.only.includes(s.name));
    const running: Running[] = [];

    const settleAndMeasure = async (r: Running, timeoutMs: number) => {
      await r.traffic.done;
      const t0 = Date.now();
      let quiet = 0;
      const settled = await waitUntil(
        `${r.scenario.name} settled`,
        async () => {
          try {
            const res = await sql!.query<{ pending: string; running: string }>(
              // A hand-off flagged ambiguous stays `sending` for good (law 4): settled, nobody will ever know more.
              `SELECT (SELECT count(*) FROM message WHERE workspace_id = $1 AND direction = 'outbound'
                          AND (status IN ('queued', 'deferred') OR (status = 'sending' AND coalesce(reason, '') NOT LIKE '%ambiguous%'))) AS pending,
                      (SELECT count(*) FROM flow_run WHERE workspace_id = $1 AND status IN ('active', 'waiting')) AS running`,
              [r.ws.id],
            );
            quiet = Number(res.rows[0].pending) === 0 && Number(res.rows[0].running) === 0 ? quiet + 1 : 0;
          } catch {
            quiet = 0;
          }
          return quiet >= 8; // two seconds without pending work
        },
        timeoutMs,
      );
      if (!settled) failures.push(`${r.scenario.name}: work still pending ${Math.round(timeoutMs / 1000)} s after the traffic ended (measured as it stood)`);
      await carrier.drain();
      if (options.keep) writeFileSync(join(dir, `calls-${r.ws.label}.json`), JSON.stringify(carrier.callsFor(r.ws.label)));
      const row = await measure(sql!, r.ws, carrier.callsFor(r.ws.label), r.traffic, Math.round((Date.now() - r.startedAt) / 1000));
      if (r.enrolled !== r.ws.contacts.size) row.details.push(`enrolled ${r.enrolled} of ${r.ws.contacts.size}`);
      rows.push(row);
      log(`${r.scenario.name}: measured (${Math.round((Date.now() - t0) / 1000)} s to settle) lost ${row.lost}, doubled ${row.doubled}, after opt-out ${row.afterOptOut}, rate ${row.rateViolations}, misrecorded ${row.misrecorded}`);
    };

    for (const scenario of chosen) {
      const n = options.recipients;
      const rate = scenario.rate(options);
      log(`${scenario.name}: ${scenario.what} — setting up ${n} recipients at ${rate} msg/s`);
      const ws = await setUpCampaign(hub, sql, carrier, scenario.name, n, rate);
      const seconds = Math.max(10, n / rate);
      const stride = Math.max(1, Math.round(1 / scenario.stopShare));
      const stopPhones = ws.phones.filter((_, i) => i % stride === stride - 1);
      const startedAt = Date.now();
      const traffic = startTraffic(carrier, ws, { seconds, chatterPerSecond: scenario.chatterPerSecond(options), stopPhones, burst: Math.max(5, Math.ceil(stopPhones.length / 10)) });
      const { enrolled, errors } = await enrol(hub, sql, ws);
      for (const e of errors) enrolErrors.push(`${scenario.name}: POST /enroll answered ${e}`);
      log(`${scenario.name}: enrolled ${enrolled}; ${stopPhones.length} STOPs and ${Math.floor(seconds * scenario.chatterPerSecond(options))} other texts over ${Math.round(seconds)} s`);
      let faultAt: number | null = null;
      if (scenario.fault) {
        const reached = await waitUntil('fault point', () => carrier.countFor(ws.label) >= scenario.faultAt * n, Math.max(120_000, seconds * 4000));
        if (!reached) failures.push(`${scenario.name}: the campaign never reached ${Math.round(scenario.faultAt * 100)} % (fault injected anyway)`);
        log(`${scenario.name}: fault at ${carrier.countFor(ws.label)} carrier calls`);
        faultAt = Date.now();
        await scenario.fault(world);
        log(`${scenario.name}: fault done in ${((Date.now() - faultAt) / 1000).toFixed(1)} s`);
      }
      const r: Running = { scenario, ws, traffic, enrolled, startedAt, faultAt };
      if (options.overlap) {
        // The next scenario starts when this one's campaign has been handed its fault and its traffic is out.
        await traffic.done;
        running.push(r);
      } else {
        await settleAndMeasure(r, 8 * 60_000);
      }
    }
    // Overlapped scenarios settle side by side, under one bound.
    await Promise.all(running.map((r) => settleAndMeasure(r, 6 * 60_000)));
    rows.sort((a, b) => SCENARIOS.findIndex((s) => s.name === a.scenario) - SCENARIOS.findIndex((s) => s.name === b.scenario));
  } catch (error) {
    failures.push(`suite: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    for (const c of fleet.crashes) failures.push(`hub process ${c.process} died on its own (${c.exit}) at +${Math.round((c.at - started) / 1000)} s; restarted`);
    if (sql) await sql.end().catch(() => undefined);
    await fleet.stopAll().catch(() => undefined);
    recorderLoop = await carrier.stop().catch(() => null);
  }

  const output = table(rows, options);
  process.stdout.write(`\n${output}\n\n`);
  for (const row of rows) for (const d of row.details) process.stdout.write(`  ${row.scenario}: ${d}\n`);
  for (const e of enrolErrors) process.stdout.write(`  ${e}\n`);
  loopDelay.disable();
  const suiteLoop = { p99Ms: Math.round(loopDelay.percentile(99) / 1e6), maxMs: Math.round(loopDelay.max / 1e6) };
  process.stdout.write(
    `\nevent-loop delay: carrier recorder (the clock of the rate column) p99 ${recorderLoop?.p99Ms ?? '?'} ms, max ${recorderLoop?.maxMs ?? '?'} ms; ` +
      `suite p99 ${suiteLoop.p99Ms} ms, max ${suiteLoop.maxMs} ms; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`,
  );
  const storm = rows.find((r) => r.scenario === 'stop-storm');
  if (storm?.stopP99Ms != null) process.stdout.write(`\nSTOP answer during the throttled campaign: p50 ${storm.stopP50Ms} ms, p99 ${storm.stopP99Ms} ms (target p99 < 2000 ms: ${storm.stopP99Ms < 2000 ? 'ok' : 'MISSED'})\n`);
  const gatedFailures = rows.flatMap((r) => GATED.filter((k) => r[k] > 0).map((k) => `${r.scenario}: ${k} ${r[k]}`));
  const seconds = Math.round((Date.now() - started) / 1000);
  // The hub's commit: a build kept aside (CHAOS_HUB_DIST) may name its own in a COMMIT file beside dist/.
  const commit = (() => {
    const marker = join(HUB_DIST, '..', 'COMMIT');
    if (existsSync(marker)) return readFileSync(marker, 'utf8').trim();
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: join(HUB_DIST, '..') }).trim();
    } catch {
      return null;
    }
  })();
  const at = new Date();
  const resultsDir = resolve(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${at.toISOString().slice(0, 19).replace(/:/g, '-')}${options.quick ? '-quick' : ''}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at: at.toISOString(), command: `npm run chaos -- ${process.argv.slice(2).join(' ')}`.trim(), commit, seconds, machine: { cpus: cpus().length, loadAverageAtEnd: loadavg() }, suiteLoop, recorderLoop, hub: hubForRecord(), options, rows, enrolErrors, failures, table: output }, null, 2)}\n`,
  );
  process.stdout.write(`\n${seconds} s, hub at commit ${commit} (${HUB_DIST}); written ${file}\n`);
  cleanup();
  if (failures.length > 0) process.stderr.write(`\nrun problems:\n  ${failures.join('\n  ')}\n`);
  if (gatedFailures.length > 0) process.stderr.write(`\nlaws broken:\n  ${gatedFailures.join('\n  ')}\n`);
  process.stdout.write(`\nchaos: ${rows.length * GATED.length - gatedFailures.length} passed, ${gatedFailures.length + failures.length} failed\n`);
  process.exit(gatedFailures.length > 0 || failures.length > 0 ? 1 : 0);
}

function table(rows: Row[], options: Options): string {
  const ms = (v: number | null) => (v === null ? '—' : `${v}`);
  const header = ['scenario', 'recipients', 'delivered', 'lost', 'doubled', 'after opt-out', 'rate viol.', 'misrecorded', 'ambiguous', 'peak/s carrier/claim (limit)', 'STOP p50/p99 ms', 'seconds'];
  const body = rows.map((r) => [
    r.scenario,
    String(r.recipients),
    String(r.delivered),
    String(r.lost),
    String(r.doubled),
    String(r.afterOptOut),
    String(r.rateViolations),
    String(r.misrecorded),
    `${r.ambiguous} (${r.ambiguousNotDelivered} not sent)`,
    `${r.peakPerSecond}/${r.peakPerSecondAtClaim} (${r.rate}+${rateTolerance(r.rate)})`,
    `${ms(r.stopP50Ms)}/${ms(r.stopP99Ms)}`,
    String(r.settleSeconds),
  ]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ');
  return [`${options.api} api + ${options.workers} worker processes, ${options.overlap ? 'overlapping' : 'isolated'} scenarios`, line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

/** The build that ran, as the result file records it: relative to the repository (files may be committed), never a machine path. */
function hubForRecord(): string {
  const path = relative(join(__dirname, '..'), HUB_DIST);
  return path.startsWith('..') || isAbsolute(path) ? 'a build outside the repository (CHAOS_HUB_DIST)' : path;
}

/**
 * `npm run bench` — the four scenarios of docs/benchmarks.md, each beside its raw baseline in the
 * same run: ingest, pipeline, fanout and check. Prints a table and writes bench/results/<date>.json.
 *
 *   npm run bench -- [--quick] [--contacts 1000000] [--only ingest|pipeline|fanout|check|peer] [--peer n8n] [--soak MINUTES]
 *
 * `--quick` (CI smoke) uses small sizes; it exits non-zero when a correctness check fails, never
 * for a missed performance target. The n8n peer (bench/scenarios/peer-n8n.ts) runs in a full run
 * when it is installed; `--peer n8n` installs it first when missing (minutes, outside the
 * repository). `--quick` never installs it: it runs there only with `--peer n8n` and installed.
 * `--soak MINUTES` (issue 25: 30) adds webhooks at half this run's ingest rate for that long and
 * reports the hub's RSS slope (bench/scenarios/soak.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { ensureBuilt, PG, REDIS } from './lib/hub';
import { atMost, ScenarioContext, ScenarioResult } from './lib/scenario';
import { round } from './lib/stats';
import { runFanoutAndCheck } from './scenarios/fanout';
import { runIngest } from './scenarios/ingest';
import { runPeerN8n } from './scenarios/peer-n8n';
import { runPipeline } from './scenarios/pipeline';
import { runSoak } from './scenarios/soak';

const SCENARIOS = ['ingest', 'pipeline', 'fanout', 'check', 'peer'] as const;
type ScenarioName = (typeof SCENARIOS)[number];

function parseArgs(argv: string[]): { quick: boolean; contacts: number | null; only: ScenarioName | null; peer: boolean; soak: number | null } {
  const options = { quick: false, contacts: null as number | null, only: null as ScenarioName | null, peer: false, soak: null as number | null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--contacts') options.contacts = Number(argv[++i]);
    else if (arg === '--only') options.only = argv[++i] as ScenarioName;
    else if (arg === '--peer') {
      if (argv[++i] !== 'n8n') throw new Error('--peer takes n8n (the only peer)');
      options.peer = true;
    } else if (arg === '--soak') options.soak = Number(argv[++i]);
    else throw new Error(`unknown option ${arg} (use --quick, --contacts N, --only ${SCENARIOS.join('|')}, --peer n8n, --soak MINUTES)`);
  }
  if (options.contacts !== null && !(Number.isInteger(options.contacts) && options.contacts >= 100)) throw new Error('--contacts must be a whole number ≥ 100');
  if (options.soak !== null && !(options.soak > 0)) throw new Error('--soak takes a number of minutes > 0');
  if (options.only !== null && !SCENARIOS.includes(options.only)) throw new Error(`--only must be one of ${SCENARIOS.join(', ')}`);
  return options;
}

async function machine(): Promise<Record<string, unknown>> {
  const pg = new Client({ connectionString: `${PG}/postgres` });
  await pg.connect();
  const pgVersion = (await pg.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  await pg.end();
  const redis = new Redis(REDIS);
  const info = await redis.info('server');
  redis.disconnect();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: round(totalmem() / 2 ** 30, 1),
    loadAverageAtStart: loadavg().map((l) => round(l, 1)),
    node: process.version,
    postgres: pgVersion,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
  };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : '—');

function table(results: ScenarioResult[]): string {
  const rows: string[][] = [['scenario', 'figure', 'baseline', 'ratio', 'targets', 'correct']];
  for (const r of results) {
    rows.push([
      r.name,
      `${fmt(r.headline.value)} ${r.headline.unit}`,
      r.baseline ? `${fmt(r.baseline.value)} ${r.baseline.unit}` : '—',
      r.ratio === null ? '—' : r.ratio.toPrecision(2),
      r.targets.map((t) => `${t.name} ${t.actual < 0.1 ? t.actual.toPrecision(2) : fmt(t.actual)} (${t.target}) ${t.pass ? 'ok' : 'MISSED'}`).join('; '),
      r.correctness.every((c) => c.pass) ? 'yes' : 'NO',
    ]);
    const extra = Object.entries(r.figures)
      .map(([k, v]) => `${k}=${fmt(v)}`)
      .join(' ');
    rows.push(['', extra, '', '', '', '']);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.filter((row) => row[c].length < 90).map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join(' | ').trimEnd()).join('\n');
}

/**
 * Issue 20: keeping report rollups may slow the pipeline by at most 10 %. The scenario runs with
 * REPORTING=off and then on, in this run; the slowdown is the share of messages/s lost.
 */
function withReportingOverhead(off: ScenarioResult, on: ScenarioResult): ScenarioResult[] {
  const slowdown = off.headline.value > 0 ? round((1 - on.headline.value / off.headline.value) * 100, 1) : NaN;
  on.figures.reportingOffMessagesPerSecond = off.headline.value;
  on.figures.reportingSlowdownPercent = slowdown;
  on.targets.push(atMost('slowdown from reporting', slowdown, 10, ' %'));
  return [off, on];
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const contacts = options.contacts ?? (options.quick ? 1_000 : 1_000_000);
  const started = Date.now();
  const ctx: ScenarioContext = {
    quick: options.quick,
    contacts,
    log: (line) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`),
  };
  ensureBuilt(ctx.log);
  const env = await machine();
  const wanted = (name: ScenarioName) => options.only === null || options.only === name;
  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  const attempt = async (name: string, run: () => Promise<ScenarioResult[]>) => {
    try {
      results.push(...(await run()));
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.stack : String(error)}`);
      ctx.log(`${name} FAILED: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (wanted('ingest') || options.soak !== null) await attempt('ingest', async () => [await runIngest(ctx)]);
  if (options.soak !== null) {
    const ingest = results.find((r) => r.name === 'ingest');
    if (ingest) await attempt('soak', async () => [await runSoak(ctx, options.soak!, ingest.headline.value)]);
  }
  if (wanted('pipeline')) await attempt('pipeline', async () => withReportingOverhead(await runPipeline(ctx, { reporting: false }), await runPipeline(ctx)));
  // The peer: with --peer n8n (installed first when missing), or in a full run when already installed.
  if (wanted('peer') && (options.peer || options.only === 'peer' || !options.quick)) {
    await attempt('peer', async () => {
      const peer = await runPeerN8n(ctx, { install: options.peer });
      return peer ? [peer] : [];
    });
  }
  if (wanted('fanout') || wanted('check')) await attempt('fanout/check', () => runFanoutAndCheck(ctx, { fanout: wanted('fanout'), check: wanted('check') }));

  const output = table(results);
  process.stdout.write(`\n${output}\n\n`);
  for (const r of results) {
    for (const c of r.correctness) process.stdout.write(`  ${c.pass ? 'ok  ' : 'FAIL'} ${r.name}: ${c.name} — ${c.detail}\n`);
    for (const note of r.notes) process.stdout.write(`  note ${r.name}: ${note}\n`);
  }
  const correctnessFailures = results.flatMap((r) => r.correctness.filter((c) => !c.pass).map((c) => `${r.name}: ${c.name}`));
  const missed = results.flatMap((r) => r.targets.filter((t) => !t.pass).map((t) => `${r.name}: ${t.name} ${fmt(t.actual)} (target ${t.target})`));
  if (missed.length > 0) process.stdout.write(`\nmissed performance targets (see notes and docs/benchmarks.md):\n  ${missed.join('\n  ')}\n`);

  const at = new Date();
  const file = resolve(__dirname, 'results', `${at.toISOString().slice(0, 19).replace(/:/g, '-')}${options.quick ? '-quick' : ''}.json`);
  mkdirSync(resolve(__dirname, 'results'), { recursive: true });
  const document = {
    at: at.toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { ...env, loadAverageAtEnd: loadavg().map((l) => round(l, 1)) },
    parameters: { quick: options.quick, contacts, only: options.only, peer: options.peer ? 'n8n' : null, soakMinutes: options.soak },
    totalSeconds: round((Date.now() - started) / 1000, 1),
    scenarios: results,
    missedTargets: missed,
    correctnessFailures,
    errors: failures,
    table: output,
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`\nwritten ${file} (${document.totalSeconds} s)\n`);
  if (failures.length > 0 || correctnessFailures.length > 0) {
    process.stderr.write(`\ncorrectness failed:\n  ${[...correctnessFailures, ...failures].join('\n  ')}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

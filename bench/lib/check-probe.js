/* eslint-disable */
/**
 * The check scenario's probe, run as its own process against the compiled hub: boots the hub's
 * Nest application context (HUB_ROLE=api, so no queue processors run) on the fanout database
 * and calls SendGateway.check directly in a loop — the policy decision, without HTTP.
 *
 * Input (BENCH_CHECK_INPUT, a JSON file): { workspaceId, iterations, warmup, contacts: [{ id, cls }] }.
 * Output (stdout, one JSON line): { latenciesMs: { p50, p99, max }, perSecond, cpuMsPerCheck, verdicts: { cls: { outcome/policy: n } } }.
 * cpuMsPerCheck is the probe's own CPU time (user + system) per check: unlike latency, it hardly
 * moves when other work shares the machine, so it compares two versions of the check's code.
 */
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const dist = resolve(__dirname, '../../dist');
require(`${dist}/apps/hub/src/register-paths`);
const { loadAppConfig } = require('@optline/core');
const { SendGateway } = require('@optline/messaging');
const { createHubApp } = require(`${dist}/apps/hub/src/bootstrap`);

/** BENCH_CHECK_PROFILE=<file>: a CPU profile of the measured loop only (not boot or warm-up). */
function profiler() {
  const file = process.env.BENCH_CHECK_PROFILE;
  if (!file) return { start: async () => undefined, stop: async () => undefined };
  const session = new (require('node:inspector').Session)();
  session.connect();
  const post = (method) => new Promise((done, fail) => session.post(method, (error, result) => (error ? fail(error) : done(result))));
  return {
    start: async () => {
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    stop: async () => require('node:fs').writeFileSync(file, JSON.stringify((await post('Profiler.stop')).profile)),
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main() {
  const input = JSON.parse(readFileSync(process.env.BENCH_CHECK_INPUT, 'utf8'));
  const config = loadAppConfig({ ...process.env, HUB_ROLE: 'api', LOG_LEVEL: 'warn' });
  const app = await createHubApp({ config });
  await app.init();
  const gateway = app.get(SendGateway);
  const pick = (i) => input.contacts[(i * 7919) % input.contacts.length];
  for (let i = 0; i < input.warmup; i++) await gateway.check(input.workspaceId, pick(i).id, 'marketing');
  const samples = new Float64Array(input.iterations);
  const profile = profiler();
  await profile.start();
  const verdicts = {};
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < input.iterations; i++) {
    const contact = pick(i + input.warmup);
    const t0 = performance.now();
    const verdict = await gateway.check(input.workspaceId, contact.id, 'marketing');
    samples[i] = performance.now() - t0;
    const key = verdict.allowed ? 'allowed' : `${verdict.outcome}:${verdict.policy}`;
    const byClass = (verdicts[contact.cls] ??= {});
    byClass[key] = (byClass[key] ?? 0) + 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await profile.stop();
  const sorted = Array.from(samples).sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({ latenciesMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] }, perSecond: input.iterations / seconds, cpuMsPerCheck: (cpu.user + cpu.system) / 1000 / input.iterations, verdicts })}\n`,
  );
  await app.close();
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});

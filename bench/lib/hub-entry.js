/**
 * The benchmark's hub process: exactly the compiled hub of `dist/` (what `npm start` runs, via
 * the same register-paths + createHubApp), plus one thing main.js cannot take from outside —
 * when BENCH_SHOPIFY_ADMIN_URL is set, the Shopify plugin's Admin API calls go to that local fake
 * (ShopifyAdminEndpoint.pointAt, the seam the plugin's own tests use). Plain JS so the hub runs
 * without a TypeScript runtime compiler inflating its memory.
 */
const { resolve } = require('node:path');
const dist = resolve(__dirname, '../../dist');
require(`${dist}/apps/hub/src/register-paths`);
const { loadAppConfig, prepareDatabase } = require('@optline/core');
const { createHubApp } = require(`${dist}/apps/hub/src/bootstrap`);

/**
 * BENCH_CPU_PROFILE=<file>: profile the hub's CPU from boot; each SIGWINCH writes the profile so
 * far as `<file minus .cpuprofile>.<n>.cpuprofile` (n = 1, 2, …) and starts a new one, so a
 * scenario can cut boot and setup (segment 1) from its load (segment 2). Open them in Chrome
 * DevTools or speedscope, or summarise with bench/profile-summary.ts. `--cpu-prof` alone is lost
 * because Nest's shutdown hook re-raises SIGTERM (and it listens to SIGUSR2 as well, hence SIGWINCH).
 */
function armProfiler(file) {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  let segment = 0;
  process.on('SIGWINCH', () => {
    session.post('Profiler.stop', (error, result) => {
      segment += 1;
      if (!error) require('node:fs').writeFileSync(file.replace(/\.cpuprofile$/, `.${segment}.cpuprofile`), JSON.stringify(result.profile));
      session.post('Profiler.start');
    });
  });
}

async function main() {
  if (process.env.BENCH_CPU_PROFILE) armProfiler(process.env.BENCH_CPU_PROFILE);
  const config = loadAppConfig(process.env);
  await prepareDatabase(config.DATABASE_URL);
  const app = await createHubApp({ config, bufferLogs: true });
  if (process.env.BENCH_SHOPIFY_ADMIN_URL) {
    const { ShopifyAdminEndpoint } = require('@optline/plugin-shopify');
    app.get(ShopifyAdminEndpoint).pointAt(process.env.BENCH_SHOPIFY_ADMIN_URL);
  }
  await app.listen(config.PORT, '127.0.0.1');
}

main().catch((error) => {
  process.stderr.write(`bench hub failed to start: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});

/**
 * Contact import benchmark (issue 3): generates N CSV rows (1,000,000 by default), streams them
 * to a real hub process (API + workers, HUB_ROLE=all) as one POST /v1/contacts/import, waits for
 * the job, and reports rows/s and the hub's peak memory (VmHWM).
 *
 *   node -r @swc-node/register bench/import-contacts.ts [--rows 1000000] [--consent-every 10] [--bad-every 100] [--heap-mb 192] [--verbose true]
 *
 * Needs Postgres and Redis as in the README; creates and drops its own database.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HubClient, hubEnv, ScratchDatabase } from './lib/hub';
import { peakRssMbOf, startProcess } from './lib/processes';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const ROWS = Number(args.get('rows') ?? 1_000_000);
const CONSENT_EVERY = Number(args.get('consent-every') ?? 10);
const BAD_EVERY = Number(args.get('bad-every') ?? 100);
const PORT = Number(args.get('port') ?? 3917);
const AREA_CODES = [212, 213, 305, 312, 404, 415, 503, 512, 602, 617, 646, 702, 713, 718, 818, 919];

/** Distinct valid US numbers: area code × exchange 200–999 × line 0000–9999. */
function phoneOf(i: number): string {
  const area = AREA_CODES[i % AREA_CODES.length];
  const rest = Math.floor(i / AREA_CODES.length);
  const exchange = 200 + (Math.floor(rest / 10_000) % 800);
  return `+1${area}${exchange}${String(rest % 10_000).padStart(4, '0')}`;
}

function* csvChunks(rows: number): Generator<string> {
  yield 'phone,first_name,last_name,email,consent,consent_timestamp,birthday,tier\n';
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const phone = BAD_EVERY > 0 && i % BAD_EVERY === BAD_EVERY - 1 ? `555-${i}` : phoneOf(i);
    const consent = CONSENT_EVERY > 0 && i % CONSENT_EVERY === 0 ? 'opted_in,2025-06-01T12:00:00Z' : ',';
    chunk += `${phone},First${i},Last${i},p${i}@example.com,${consent},1990-${String((i % 12) + 1).padStart(2, '0')}-15,${i % 3 ? 'silver' : 'gold'}\n`;
    if ((i + 1) % 2000 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function main(): Promise<void> {
  const db = await ScratchDatabase.create('import');
  const client = new HubClient(PORT);
  const hub = await startProcess(
    ['-r', '@swc-node/register', resolve(__dirname, '../apps/hub/src/main.ts')],
    {
      ...hubEnv(db, PORT, { SMS_PROVIDER: 'console' }),
      SWC_NODE_PROJECT: resolve(__dirname, '../tsconfig.json'),
      // --heap-mb caps the hub's V8 heap: an import that held the file in memory would crash.
      ...(args.get('heap-mb') && { NODE_OPTIONS: `--max-old-space-size=${args.get('heap-mb')}` }),
    },
    `http://127.0.0.1:${PORT}/health`,
    'hub',
  );
  if (args.get('verbose') === 'true') hub.child.stderr?.pipe(process.stderr);
  try {
    const { token } = await client.createWorkspace();
    const api = <T>(method: string, path: string, auth: string) => client.api<T>(method, path, auth);
    const benchPeak = () => peakRssMbOf(process.pid);
    const rssAtStart = hub.peakRssMb();

    const uploadStart = performance.now();
    const started = await client.upload<{ id: string; bytes: number }>('/v1/contacts/import?fileName=bench.csv', token, csvChunks(ROWS));
    const uploadSeconds = (performance.now() - uploadStart) / 1000;
    const rssAfterUpload = hub.peakRssMb();
    process.stdout.write(`uploaded ${(started.bytes / 1e6).toFixed(1)} MB in ${uploadSeconds.toFixed(1)} s; importing…\n`);

    let view: { status: string; rowsRead: number; created: number; rejected: number; consentSkipped: number; startedAt: string; finishedAt: string; error: string | null };
    let lastPrint = 0;
    for (;;) {
      view = await api('GET', `/v1/imports/${started.id}`, token);
      if (view.status === 'completed' || view.status === 'failed') break;
      if (performance.now() - lastPrint > 10_000) {
        process.stdout.write(`  ${view.status}: ${view.rowsRead} rows read\n`);
        lastPrint = performance.now();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const processingSeconds = (new Date(view.finishedAt).getTime() - new Date(view.startedAt).getTime()) / 1000;
    const endToEndSeconds = (performance.now() - uploadStart) / 1000;

    const verifyStart = performance.now();
    const verify = await api<{ ok: boolean; entries: number }>('GET', '/v1/consent/verify', token);
    const verifySeconds = (performance.now() - verifyStart) / 1000;
    const exportStart = performance.now();
    const exported = await fetch(`http://127.0.0.1:${PORT}/v1/consent/export?format=csv`, { headers: { Authorization: `Bearer ${token}` } });
    let exportBytes = 0;
    for await (const chunk of exported.body as unknown as AsyncIterable<Uint8Array>) exportBytes += chunk.length;
    const exportSeconds = (performance.now() - exportStart) / 1000;

    const result = {
      at: new Date().toISOString(),
      rows: ROWS,
      hubHeapLimitMB: args.get('heap-mb') ? Number(args.get('heap-mb')) : null,
      loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 10) / 10),
      status: view.status,
      error: view.error,
      created: view.created,
      rejected: view.rejected,
      consentEntries: verify.entries,
      uploadMB: Math.round(started.bytes / 1e5) / 10,
      uploadSeconds: Math.round(uploadSeconds * 10) / 10,
      processingSeconds: Math.round(processingSeconds * 10) / 10,
      rowsPerSecondProcessing: Math.round(ROWS / processingSeconds),
      rowsPerSecondEndToEnd: Math.round(ROWS / endToEndSeconds),
      hubPeakRssMB: { atStart: Math.round(rssAtStart), afterUpload: Math.round(rssAfterUpload), overall: Math.round(hub.peakRssMb()) },
      benchPeakRssMB: Math.round(benchPeak()),
      verify: { ok: verify.ok, entries: verify.entries, seconds: Math.round(verifySeconds * 10) / 10 },
      consentExport: { MB: Math.round(exportBytes / 1e5) / 10, seconds: Math.round(exportSeconds * 10) / 10 },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(resolve(__dirname, `import-contacts.results.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await hub.stop();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

import { ChildProcess, spawn } from 'node:child_process';
import { getPriority } from 'node:os';
import { resolve } from 'node:path';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from '../utils/test-database';
import { freePort } from '../utils/free-port';

/** Starts the real hub entry point (main.ts under swc) and collects its stdout lines. */
function startHub(env: Record<string, string>): { child: ChildProcess; lines: () => string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/hub/src/main.ts'], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.resume();
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, lines: () => out.split('\n').filter(Boolean), exited };
}

async function waitForLine(lines: () => string[], match: RegExp, timeoutMs: number): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const found = lines().find((line) => match.test(line));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

describe('hub process logs', () => {
  let db: { name: string; url: string };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => dropTestDatabase(db.name));

  /** A worker-only hub on this suite's database and queue prefix. */
  const workerEnv = (extra: Record<string, string>): Record<string, string> => ({
    HUB_ROLE: 'worker',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `optline-test:${db.name}`,
    LOG_LEVEL: 'info',
    OPTLINE_ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    ...extra,
  });

  it('a worker-mode process (HUB_ROLE=worker) lowers its CPU priority to WORKER_NICE, and writes its startup line and Nest lines as JSON on stdout', async () => {
    const hub = startHub(workerEnv({ OPTLINE_ROOT_TOKEN: '', WORKER_NICE: '7' }));
    try {
      const startup = await waitForLine(hub.lines, /running workers only/, 50_000);
      expect(startup).toBeDefined();
      // Started from a process nicer than 7 (a niced CI runner), it keeps that priority instead.
      const nice = Math.max(7, getPriority());
      expect(getPriority(hub.child.pid!)).toBe(nice);
      expect(JSON.parse(startup!)).toMatchObject({ level: 30, msg: `Optline hub running workers only (HUB_ROLE=worker), CPU priority nice ${nice}` });
      // Lines written before the pino logger was in place (module wiring, the root-token warning) are flushed too.
      expect(hub.lines().some((line) => /OPTLINE_ROOT_TOKEN is not set/.test(line))).toBe(true);
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  }, 70_000);

  it('a worker-mode process with METRICS_PORT serves its own /metrics (token required) and /health/live there', async () => {
    const port = await freePort();
    const token = 'worker-metrics-token-0123456789';
    const hub = startHub(workerEnv({ METRICS_TOKEN: token, METRICS_PORT: String(port) }));
    try {
      expect(await waitForLine(hub.lines, /worker metrics at/, 50_000)).toBeDefined();
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok', role: 'worker' });
      const refused = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-000000' } });
      expect(refused.status).toBe(401);
      expect((await refused.json()).code).toBe('invalid_metrics_token');
      expect((await fetch(`${base}/v1/contacts`)).status).toBe(404);
      const scraped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      const text = await scraped.text();
      // The counters of the work a worker does, and its queues and process, all from this process.
      expect(text).toContain('# TYPE optline_events_dispatched_total counter');
      expect(text).toContain('# TYPE optline_provider_send_duration_seconds histogram');
      expect(text).toMatch(/^optline_queue_jobs\{queue="sends",state="waiting"\} \d+$/m);
      expect(text).toMatch(/^optline_process_resident_memory_bytes \d+/m);
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  }, 70_000);
});


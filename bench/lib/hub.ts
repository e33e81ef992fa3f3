/**
 * Shared benchmark plumbing: a scratch database per run, the compiled hub started as a real
 * process (HUB_ROLE=all unless told otherwise), a small HTTP client without client-side timeouts
 * (an enrolment of a million contacts is one long request), CSV uploads and import polling.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import Redis from 'ioredis';
import { Client } from 'pg';
import { RunningProcess, startProcess } from './processes';

export const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ROOT_TOKEN = 'bench-root-token-0123456789';
export const ENCRYPTION_KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const REPO = resolve(__dirname, '../..');

/** A free port: several people may run the bench on one machine; a fixed port lets one run talk to another's hub. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Newest modification time under a folder (ts sources only). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm run build` when dist/ is missing or older than a source file. BENCH_SKIP_BUILD=1 runs
 * dist/ as it is (when others are editing the tree, every source change would rebuild it).
 */
export function ensureBuilt(log: (line: string) => void): void {
  const main = join(REPO, 'dist/apps/hub/src/main.js');
  if (process.env.BENCH_SKIP_BUILD && existsSync(main)) return;
  const sources = Math.max(...['apps', 'libs', 'plugins'].map((d) => newestMtime(join(REPO, d))));
  if (existsSync(main) && statSync(main).mtimeMs >= sources) return;
  log('building the hub (npm run build)…');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
}

/** A scratch database (and Redis prefix) that `drop()` removes with everything in it. */
export class ScratchDatabase {
  private constructor(
    readonly name: string,
    private readonly admin: Client,
  ) {}

  static async create(label: string): Promise<ScratchDatabase> {
    const name = `optline_bench_${label}_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
    const admin = new Client({ connectionString: `${PG}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    return new ScratchDatabase(name, admin);
  }

  get url(): string {
    return `${PG}/${this.name}`;
  }

  get queuePrefix(): string {
    return `optline-bench:${this.name}`;
  }

  /** A client on the scratch database for the bench's own read-only checks. */
  async client(): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    return client;
  }

  async drop(): Promise<void> {
    // BENCH_KEEP_DB=1 leaves the scratch database (and its name in the log) for a closer look.
    if (process.env.BENCH_KEEP_DB) {
      process.stderr.write(`kept scratch database ${this.name}\n`);
      await this.admin.end();
      return;
    }
    await this.admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    await this.admin.end();
    const redis = new Redis(REDIS);
    const stream = redis.scanStream({ match: `${this.queuePrefix}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

/** The hub's environment for a scratch database (the README's variables). */
export function hubEnv(db: ScratchDatabase, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    REDIS_URL: REDIS,
    QUEUE_PREFIX: db.queuePrefix,
    PORT: String(port),
    HUB_ROLE: 'all',
    LOG_LEVEL: 'warn',
    SMS_PROVIDER: 'null',
    OPTLINE_ROOT_TOKEN: ROOT_TOKEN,
    OPTLINE_ENCRYPTION_KEY: ENCRYPTION_KEY,
    DATABASE_POOL_SIZE: '20',
    ...extra,
  };
}

/** A running hub; `profileMark()` cuts the CPU profile here (a no-op without BENCH_CPU_PROFILE_DIR). */
export interface RunningHub extends RunningProcess {
  profileMark(): Promise<void>;
}

/**
 * Starts the compiled hub (bench/lib/hub-entry.js) and waits for /health. With
 * BENCH_CPU_PROFILE_DIR set, the hub is CPU-profiled: `<dir>/hub-<db>.1.cpuprofile` holds boot and
 * setup up to the scenario's `profileMark()` (called when its load starts), `.2.` the load up to
 * the hub's stop.
 */
export async function startHub(db: ScratchDatabase, port: number, extra: Record<string, string> = {}): Promise<RunningHub> {
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const profile = profileDir ? resolve(profileDir, `hub-${db.name}.cpuprofile`) : null;
  // The same heap cap as `npm start` (HUB_HEAP_MB, default 384 MB).
  const heap = `--max-old-space-size=${process.env.HUB_HEAP_MB ?? 384}`;
  const hub = await startProcess([heap, resolve(__dirname, 'hub-entry.js')], hubEnv(db, port, { ...extra, ...(profile && { BENCH_CPU_PROFILE: profile }) }), `http://127.0.0.1:${port}/health`, 'hub');
  if (!profile) return { ...hub, profileMark: async () => undefined };
  return {
    ...hub,
    async profileMark() {
      hub.child.kill('SIGWINCH');
      await new Promise((r) => setTimeout(r, 500));
    },
    async stop() {
      hub.child.kill('SIGWINCH');
      await new Promise((r) => setTimeout(r, 3000));
      await hub.stop();
    },
  };
}

/** Minimal JSON client for one hub. No client-side timeout: long requests are the point. */
export class HubClient {
  constructor(readonly port: number) {}

  send(method: string, path: string, token: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
    return new Promise((done, fail) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(
        { host: '127.0.0.1', port: this.port, method, path, headers: { Authorization: `Bearer ${token}`, ...(payload !== undefined && { 'Content-Type': contentType }) } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => done({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', fail);
      req.end(payload);
    });
  }

  async api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, token, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return (res.text ? JSON.parse(res.text) : {}) as T;
  }

  /** A workspace created with the operator token; answers its first admin key. */
  async createWorkspace(settings: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
    const created = await this.api<{ workspace: { id: string }; apiKey: { key: string } }>('POST', '/v1/workspaces', ROOT_TOKEN, { name: 'Bench', brandName: 'Bench', ...settings });
    return { id: created.workspace.id, token: created.apiKey.key };
  }

  /** Streams generated text to a route (CSV uploads) and answers the parsed JSON body. */
  upload<T>(path: string, token: string, chunks: Iterable<string>, contentType = 'text/csv'): Promise<T> {
    return new Promise((done, fail) => {
      const req = request({ host: '127.0.0.1', port: this.port, method: 'POST', path, headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? done(JSON.parse(text) as T) : fail(new Error(`POST ${path}: ${res.statusCode} ${text}`))));
      });
      req.on('error', fail);
      Readable.from(chunks).pipe(req);
    });
  }

  /** Polls GET /v1/imports/:id until it completes (throws when it fails). */
  async waitForImport(token: string, id: string, onProgress?: (rowsRead: number) => void): Promise<ImportView> {
    let lastPrint = performance.now();
    for (;;) {
      const view = await this.api<ImportView>('GET', `/v1/imports/${id}`, token);
      if (view.status === 'completed') return view;
      if (view.status === 'failed') throw new Error(`import ${id} failed: ${view.error}`);
      if (onProgress && performance.now() - lastPrint > 10_000) {
        onProgress(view.rowsRead);
        lastPrint = performance.now();
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

export interface ImportView {
  status: string;
  rowsRead: number;
  created: number;
  updated: number;
  rejected: number;
  consentSkipped: number;
  startedAt: string;
  finishedAt: string;
  error: string | null;
}

const AREA_CODES = [206, 212, 213, 303, 312, 404, 415, 503, 512, 602, 646, 713, 718, 818, 919, 971];

/**
 * Distinct valid US numbers: area code × exchange 200–999 × line 0000–9999. The area codes are
 * in states without a stricter marketing rule (no FL/OK/MD caps, no Sunday or holiday bans), so
 * the only quiet-hour rule that applies is the federal window in the contact's own zone.
 */
export function phoneOf(i: number): string {
  const area = AREA_CODES[i % AREA_CODES.length];
  const rest = Math.floor(i / AREA_CODES.length);
  const exchange = 200 + (Math.floor(rest / 10_000) % 800);
  return `+1${area}${exchange}${String(rest % 10_000).padStart(4, '0')}`;
}

/**
 * A fixed-offset IANA zone (`Etc/GMT…`) where it is about 13:00 now, so quiet hours (08:00–21:00
 * at the recipient) cannot defer any message of a run that lasts a few hours.
 */
export function middayZone(now = new Date()): string {
  const offset = 13 - now.getUTCHours(); // local = UTC + offset
  const normalized = ((offset + 11 + 24) % 24) - 11; // -11…+12 (Etc zones exist from GMT-14 to GMT+12)
  if (normalized === 0) return 'Etc/UTC';
  // Etc/GMT signs are inverted: Etc/GMT-2 is UTC+2.
  return `Etc/GMT${normalized > 0 ? '-' : '+'}${Math.abs(normalized)}`;
}

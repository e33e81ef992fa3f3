/**
 * The hub as it runs in production: `node dist/apps/hub/src/main.js` processes with HUB_ROLE=api
 * or worker, sharing the suite's Postgres and Redis. Each process is spawned, killed (SIGKILL:
 * no shutdown hook runs) and replaced by index, so a fault names exactly which process died.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from './infra';

export const ROOT_TOKEN = 'chaos-root-token-0123456789';
const ENCRYPTION_KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
/** The built hub; CHAOS_HUB_DIST points at another build of the same tree (e.g. one kept aside while the tree changes). */
export const HUB_DIST = resolve(process.env.CHAOS_HUB_DIST ?? resolve(__dirname, '../../dist'));
const MAIN = resolve(HUB_DIST, 'apps/hub/src/main.js');
const WORKER_READY = 'running workers only';

export interface FleetOptions {
  databaseUrl: string;
  redisUrl: string;
  apiPorts: number[];
  workers: number;
  logDir: string;
  publicUrl: string;
}

interface Member {
  role: 'api' | 'worker';
  index: number;
  child: ChildProcess | null;
  starts: number;
}

export interface Crash {
  process: string;
  at: number;
  exit: string;
}

export class HubFleet {
  private readonly members: Member[];
  /** Processes that died without the suite killing them; each is restarted, like a process manager would. */
  readonly crashes: Crash[] = [];
  private stopping = false;

  constructor(private readonly options: FleetOptions) {
    this.members = [
      ...options.apiPorts.map((_, index) => ({ role: 'api' as const, index, child: null, starts: 0 })),
      ...Array.from({ length: options.workers }, (_, index) => ({ role: 'worker' as const, index, child: null, starts: 0 })),
    ];
  }

  private env(member: Member): Record<string, string> {
    return {
      DATABASE_URL: this.options.databaseUrl,
      REDIS_URL: this.options.redisUrl,
      QUEUE_PREFIX: 'optline-chaos',
      PORT: member.role === 'api' ? String(this.options.apiPorts[member.index]) : '0',
      PUBLIC_URL: this.options.publicUrl,
      HUB_ROLE: member.role,
      // Workers log at info so the suite sees their ready line; api processes only warn (a
      // request log line per webhook would cost the machine more than the hub's own work).
      LOG_LEVEL: member.role === 'worker' ? 'info' : 'warn',
      SMS_PROVIDER: 'console',
      OPTLINE_ROOT_TOKEN: ROOT_TOKEN,
      OPTLINE_ENCRYPTION_KEY: ENCRYPTION_KEY,
      DATABASE_POOL_SIZE: '10',
      NODE_ENV: 'production',
    };
  }

  /** Starts one member and waits until it is ready (api: GET /health/ready; worker: its ready line). */
  async start(member: Member): Promise<void> {
    const label = `${member.role}${member.index}`;
    const child = spawn(process.execPath, [`--max-old-space-size=${process.env.HUB_HEAP_MB ?? 384}`, MAIN], {
      env: { PATH: process.env.PATH ?? '', ...this.env(member) },
      // Where `npm start` runs it: the checkout holding dist/ (config/ is read from there).
      cwd: resolve(HUB_DIST, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    member.child = child;
    member.starts++;
    const log = createWriteStream(join(this.options.logDir, `${label}.log`), { flags: 'a' });
    log.write(`--- start ${member.starts} pid ${child.pid} at ${new Date().toISOString()}\n`);
    let ready = false;
    let tail = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (!ready) {
        tail = (tail + chunk.toString()).slice(-4000);
        if (tail.includes(WORKER_READY)) ready = true;
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    child.once('exit', (code, signal) => {
      log.write(`--- exit ${code ?? signal} at ${new Date().toISOString()}\n`);
      if (member.child !== child || this.stopping || !ready) return;
      // Died on its own (the suite clears member.child before it kills): a finding, and a restart.
      this.crashes.push({ process: label, at: Date.now(), exit: String(code ?? signal) });
      member.child = null;
      setTimeout(() => void this.start(member).catch(() => undefined), 1000);
    });
    await waitFor(
      label,
      async () => {
        if (exited()) throw new Error(`${label} exited while starting: ${tail}`);
        if (member.role === 'worker') return ready || (await this.consuming(child.pid!));
        const res = await fetch(`http://127.0.0.1:${this.options.apiPorts[member.index]}/health/ready`, { signal: AbortSignal.timeout(2000) });
        return res.ok;
      },
      // Booting Nest takes seconds alone and a minute or more when four processes boot at once on a busy 2-core machine.
      180_000,
    ).catch((error: unknown) => {
      if (exited()) throw new Error(`${label} exited while starting: ${tail}`);
      throw error;
    });
    ready = true;
  }

  /**
   * Whether a worker process is taking jobs: one of its own connections to Redis is blocked in
   * Bull's wait-list pop. Read from `ss` (socket → pid) and CLIENT LIST, so it holds for any
   * version of the hub, whatever it logs.
   */
  private async consuming(pid: number): Promise<boolean> {
    const redisPort = new URL(this.options.redisUrl).port;
    let sockets: string;
    try {
      sockets = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${redisPort} )`], { encoding: 'utf8' });
    } catch {
      return false;
    }
    const ports = new Set(
      sockets
        .split('\n')
        .filter((line) => line.includes(`pid=${pid},`))
        .map((line) => /127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:\d+/.exec(line)?.[1])
        .filter((p): p is string => !!p),
    );
    if (ports.size === 0) return false;
    const redis = new Redis(this.options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const clients = String(await redis.client('LIST'));
      return clients.split('\n').some((line) => /cmd=(brpoplpush|blmove|bzpopmin|brpop)/.test(line) && ports.has(/addr=[\d.]+:(\d+)/.exec(line)?.[1] ?? ''));
    } finally {
      redis.disconnect();
    }
  }

  /** The first api process alone (it runs the migrations: one runner), then everyone else at once. */
  async startAll(): Promise<void> {
    await this.start(this.members[0]);
    await Promise.all(this.members.slice(1).map((m) => this.start(m)));
  }

  private pick(role: 'api' | 'worker', index: number): Member {
    const member = this.members.find((m) => m.role === role && m.index === index);
    if (!member) throw new Error(`no ${role} ${index}`);
    return member;
  }

  /** SIGKILL: the process gets no chance to finish, release locks or close connections. */
  async kill(role: 'api' | 'worker', index: number): Promise<void> {
    const member = this.pick(role, index);
    const child = member.child;
    member.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async restart(role: 'api' | 'worker', index: number): Promise<void> {
    await this.start(this.pick(role, index));
  }

  count(role: 'api' | 'worker'): number {
    return this.members.filter((m) => m.role === role).length;
  }

  /** Api ports of the processes alive right now (the load balancer's pool). */
  liveApiPorts(): number[] {
    return this.members.filter((m) => m.role === 'api' && m.child && m.child.exitCode === null).map((m) => this.options.apiPorts[m.index]);
  }

  /** Processes that died without the suite killing them (a crash is itself a finding). */
  unexpectedExits(): string[] {
    return this.members.filter((m) => m.child && (m.child.exitCode !== null || m.child.signalCode !== null)).map((m) => `${m.role}${m.index} (exit ${m.child!.exitCode ?? m.child!.signalCode})`);
  }

  /** Graceful stop (SIGTERM, as a process manager drains), SIGKILL after 15 s. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.members.map(async (m) => {
        const child = m.child;
        m.child = null;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await once(child, 'exit');
        clearTimeout(timer);
      }),
    );
  }

  /** Last resort on the way out (SIGINT, a crash of the suite): nothing may outlive the run. */
  killAllNow(): void {
    this.stopping = true;
    for (const m of this.members) if (m.child && m.child.exitCode === null) m.child.kill('SIGKILL');
  }
}

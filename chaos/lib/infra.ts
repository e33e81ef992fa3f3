/**
 * The suite's own Postgres and Redis: started from the machine's binaries on free loopback ports,
 * in a scratch folder, so every fault (restart, FLUSHALL, kill) hits instances nobody else uses.
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';

/** A port that was free a moment ago (the kernel's pick for a listener on port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
    socket.once('timeout', () => (socket.destroy(), done(false)));
    socket.connect(port, '127.0.0.1');
  });
}

/** Debian's layout (/usr/lib/postgresql/<v>/bin), else pg_config, else CHAOS_PG_BIN. */
function postgresBin(): string {
  if (process.env.CHAOS_PG_BIN) return process.env.CHAOS_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

/**
 * A throwaway Postgres cluster. Postgres refuses to run as root, so as root its folder belongs
 * to the `postgres` user and every command runs through `runuser`.
 */
export class OwnPostgres {
  private readonly bin = postgresBin();
  private readonly dataDir: string;
  private readonly asRoot = process.getuid?.() === 0;

  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    this.dataDir = join(dir, 'pgdata');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  /** Asynchronous on purpose: the carrier shares this event loop and must keep taking calls while Postgres restarts. */
  private async run(tool: string, args: string[]): Promise<void> {
    const command = join(this.bin, tool);
    if (this.asRoot) await promisify(execFile)('runuser', ['-u', 'postgres', '--', command, ...args]);
    else await promisify(execFile)(command, args);
  }

  /** For the way out (an exit handler cannot wait): the same stop, synchronously. */
  private runNow(tool: string, args: string[]): void {
    const command = join(this.bin, tool);
    if (this.asRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
    else execFileSync(command, args, { stdio: 'pipe' });
  }

  async init(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    if (this.asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(this.dir, uid, gid);
      chownSync(this.dataDir, uid, gid);
    }
    await this.run('initdb', ['-D', this.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await this.start();
  }

  async start(): Promise<void> {
    // fsync off: the faults here are process faults (the OS keeps the page cache), not power loss.
    // synchronous_commit stays on: with it off a crash loses commits already answered, which no
    // application can survive, and the suite would blame the hub for its own setting.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB`;
    await this.run('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'postgres.log'), '-w', '-t', '60', 'start']);
    await waitFor('postgres', () => portOpen(this.port), 30_000);
  }

  /** Stops like a crash (`-m immediate`: no checkpoint, every connection cut) and starts again. */
  async restart(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    await this.start();
  }

  stopNow(mode: 'immediate' | 'fast' = 'fast'): void {
    try {
      this.runNow('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    } catch {
      // already stopped
    }
  }
}

/** A Redis server as a child process, without persistence: a restart loses everything, like FLUSHALL. */
export class OwnRedis {
  private child: ChildProcess | null = null;

  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const log = createWriteStream(join(this.dir, 'redis.log'), { flags: 'a' });
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    await waitFor('redis', () => portOpen(this.port), 15_000, 50);
  }

  /** SIGKILL, then a fresh server on the same port (empty: nothing is persisted). */
  async restart(downMs: number): Promise<void> {
    this.kill();
    await waitFor('redis port released', async () => !(await portOpen(this.port)), 10_000, 50);
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  kill(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    this.child = null;
  }
}

import type { EventEmitter } from 'node:events';

/** What the outage log writes to: a Nest Logger fits. */
export interface OutageLogger {
  warn(message: unknown, ...rest: unknown[]): void;
  log(message: unknown, ...rest: unknown[]): void;
}

export interface RedisOutageLogOptions {
  /** At most one warning per this many ms while Redis stays down; the others are counted. */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Turns a Redis connection's error storm into a few readable lines: the first error at warn,
 * then one warn per interval with how many errors were folded into it, and one line when the
 * connection is back. ioredis reconnects every few hundred ms, so logging each error would
 * flood the log, and logging none leaves an operator guessing why the hub is not ready.
 */
export class RedisOutageLog {
  private downSince: number | undefined;
  private lastWarnAt: number | undefined;
  private suppressed = 0;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly logger: OutageLogger,
    private readonly target: string,
    options: RedisOutageLogOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Listens to an ioredis client (or a Bull queue, which re-emits its clients' errors). */
  watch(emitter: EventEmitter, readyEmitters: EventEmitter[] = [emitter]): void {
    emitter.on('error', (error: Error) => this.error(error));
    for (const ready of readyEmitters) ready.on('ready', () => this.ready());
  }

  error(error: Error): void {
    const at = this.now();
    if (this.downSince === undefined) this.downSince = at;
    if (this.lastWarnAt !== undefined && at - this.lastWarnAt < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    const repeated = this.suppressed > 0 ? ` (${this.suppressed} more errors since the last line)` : '';
    const downFor = Math.round((at - this.downSince) / 1000);
    this.logger.warn(
      { target: this.target, error: describe(error), downForSeconds: downFor },
      `Redis at ${this.target} is unreachable: ${describe(error)}; reconnecting${repeated}`,
    );
    this.lastWarnAt = at;
    this.suppressed = 0;
  }

  ready(): void {
    if (this.downSince === undefined) return;
    const downFor = Math.round((this.now() - this.downSince) / 1000);
    this.logger.warn({ target: this.target, downForSeconds: downFor }, `Redis at ${this.target} is reachable again after ${downFor} s`);
    this.downSince = undefined;
    this.lastWarnAt = undefined;
    this.suppressed = 0;
  }

  get isDown(): boolean {
    return this.downSince !== undefined;
  }
}

function describe(error: Error): string {
  const code = (error as { code?: string }).code;
  return code && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}

/** The Redis URL without its password, for log lines. */
export function redisTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'redis';
  }
}

import { Logger } from '@nestjs/common';

/**
 * Runs `work` once soon after start and then every `everyMs`, in this process only. Used by
 * worker processes for reconcilers: an in-process timer rather than a Redis repeatable job,
 * because losing Redis must not also lose the work that recovers from losing Redis (law 3).
 * Passes never overlap (a call during a pass shares it), a failing pass is logged and the next
 * one retries, and the timer never keeps the process alive.
 */
export class PeriodicTask {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly everyMs: number,
    private readonly work: () => Promise<unknown>,
  ) {
    this.logger = new Logger(`PeriodicTask:${name}`);
  }

  start(options: { runNow?: boolean } = { runNow: true }): void {
    if (this.timer) return;
    if (options.runNow !== false) void this.tick();
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass now (tests call this after moving the clock). */
  tick(): Promise<void> {
    this.running ??= this.work()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, `${this.name} failed; the next pass retries`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}

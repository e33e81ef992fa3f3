import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/** The longest a shutting-down process waits for announcements still running. */
const DRAIN_MAX_MS = 10_000;

/**
 * Announcements running at once in a process. Each holds a pooled connection while it runs; the
 * rest of the pool (10 by default) stays for the webhooks themselves, so a burst makes
 * announcements lag, not answers (unbounded, they filled the pool and webhooks waited behind them).
 */
const MAX_RUNNING = 3;

/**
 * Work an inbound webhook starts once its answer is decided, so the carrier does not wait for it:
 * the announcements of a STOP's opt-out (`consent.changed`) and of the text (`sms.received`) to
 * the inbox, flows, reporting, outbound webhooks and plugin write-back. The text is already
 * stored with its opt-out, its keyword handled and its replies queued; what listeners do with it
 * is the same work either way, done after the answer. A carrier gives up on a webhook after
 * 15 s, and during a campaign these listeners were most of a STOP's answer time (docs/chaos.md).
 *
 * One contact's announcements run one after another, in the order their texts were stored in
 * this process, and at most MAX_RUNNING at once; a process that shuts down waits for what is
 * still pending (at most 10 s).
 */
@Injectable()
export class AfterAnswerWork implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AfterAnswerWork.name);
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** Runs `work` after the work already started for `key`; failures are logged (the publisher's own rows are committed). */
  run(key: string, work: () => Promise<void>): void {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(() => this.inSlot(work)).catch((error: unknown) => this.logger.error({ err: error }, 'work after a webhook answer failed'));
    this.tails.set(key, next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  private async inSlot(work: () => Promise<void>): Promise<void> {
    if (this.running < MAX_RUNNING) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      await work();
    } finally {
      // The slot passes straight to the next waiter, so no newcomer slips in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.tails.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.tails.values()]), new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MAX_MS)))]);
    clearTimeout(timer);
  }
}

import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/** The longest a shutting-down process waits for announcements still running. */
const DRAIN_MAX_MS = 10_000;

/**
 * Work an inbound webhook starts once its answer is decided, so the carrier does not wait for it:
 * the announcements of a STOP's opt-out (`consent.changed`) and of the text (`sms.received`) to
 * the inbox, flows, reporting, outbound webhooks and plugin write-back. The text is already
 * stored with its opt-out, its keyword handled and its replies queued; what listeners do with it
 * is the same work either way, done after the answer. A carrier gives up on a webhook after
 * 15 s, and during a campaign these listeners were most of a STOP's answer time (docs/chaos.md).
 *
 * One contact's announcements run one after another, in the order their texts were stored in
 * this process; a process that shuts down waits for what is still running (at most 10 s).
 */
@Injectable()
export class AfterAnswerWork implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AfterAnswerWork.name);
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` after the work already started for `key`; failures are logged (the publisher's own rows are committed). */
  run(key: string, work: () => Promise<void>): void {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(work).catch((error: unknown) => this.logger.error({ err: error }, 'work after a webhook answer failed'));
    this.tails.set(key, next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  /** How many keys still have work running (tests, shutdown log). */
  pending(): number {
    return this.tails.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.tails.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.tails.values()]), new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MAX_MS)))]);
    clearTimeout(timer);
  }
}

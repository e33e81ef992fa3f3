import { Injectable, Logger } from '@nestjs/common';
import { Clock, JobQueue, Metrics } from '@optline/core';
import { MessageRepository } from '../message/message.repository';
import { HANDOFF_TIMEOUT_MS } from '../message/message-status';

/** Rows younger than this are left alone: their job was just enqueued and may not have run yet. */
const GRACE_MS = 60_000;

/**
 * Law 3: Postgres is the truth, Redis the clock. Re-arms `sms.send` for outbound messages that
 * are due (queued, or deferred past their instant) but whose job may have been lost with Redis.
 * Messages stuck in `sending` past HANDOFF_TIMEOUT_MS get a job too, which flags them
 * `ambiguous_handoff` (law 4) — still `sending`: nobody knows whether the provider took them.
 * A job that runs twice is harmless: the row decides (a handled message is left alone). Meant to
 * be called by the periodic maintenance tick.
 */
@Injectable()
export class MessageReconciler {
  private readonly logger = new Logger(MessageReconciler.name);

  constructor(
    private readonly messages: MessageRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  /** Returns how many messages were re-armed. */
  async rearmDue(limit = 5_000): Promise<number> {
    const now = this.clock.now();
    const due = await this.messages.dueOutbound(now, new Date(now.getTime() - GRACE_MS), new Date(now.getTime() - HANDOFF_TIMEOUT_MS), limit);
    const minute = Math.floor(now.getTime() / 60_000);
    await this.jobs.enqueueMany(
      'sms.send',
      due.map((m) => ({ workspaceId: m.workspaceId, messageId: m.id })),
      { attempt: `reconcile:${minute}` },
    );
    this.metrics.rearmed.inc({ reconciler: 'messages' }, due.length);
    if (due.length > 0) this.logger.log({ count: due.length }, 're-armed due messages from Postgres');
    return due.length;
  }
}

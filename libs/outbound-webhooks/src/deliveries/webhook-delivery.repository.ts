import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DeliveryAttempt, DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';

/** Attempts kept on a delivery row for the log. */
const KEPT_ATTEMPTS = 20;

export interface NewDelivery {
  workspaceId: string;
  endpointId: string;
  eventType: string;
  eventKey: string;
  payload: Record<string, unknown>;
  maxAttempts: number;
  nextAttemptAt: Date;
}

/** The delivery log's queries, each scoped to its workspace. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(@InjectRepository(WebhookDelivery) private readonly rows: Repository<WebhookDelivery>) {}

  /** Inserts the deliveries of one event; an event already delivered to an endpoint is skipped. Answers the new ids. */
  async insertMany(deliveries: NewDelivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const result = await this.rows.createQueryBuilder().insert().into(WebhookDelivery).values(deliveries as QueryDeepPartialEntity<WebhookDelivery>[]).orIgnore().returning(['id']).execute();
    return (result.raw as { id: string }[]).map((r) => r.id);
  }

  find(workspaceId: string, id: string): Promise<WebhookDelivery | null> {
    return this.rows.findOne({ where: { workspaceId, id } });
  }

  /** One page of an endpoint's deliveries, newest first; `before` is the createdAt of the last row seen. */
  page(workspaceId: string, endpointId: string, options: { status?: DeliveryStatus; before?: Date; limit: number }): Promise<WebhookDelivery[]> {
    return this.rows.find({
      where: { workspaceId, endpointId, ...(options.status ? { status: options.status } : {}), ...(options.before ? { createdAt: LessThan(options.before) } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: options.limit,
    });
  }

  /**
   * Takes a due delivery for one attempt: only one worker wins it, and a stray job (a re-arm that
   * overlapped its retry) cannot attempt before the row's next attempt is due.
   */
  async claim(workspaceId: string, id: string, now: Date): Promise<WebhookDelivery | null> {
    const [rows]: [Record<string, unknown>[]] = await this.rows.query(
      `UPDATE webhook_delivery SET status = 'sending', updated_at = now()
        WHERE workspace_id = $1 AND id = $2 AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $3) RETURNING id`,
      [workspaceId, id, new Date(now.getTime() + 1_000)],
    );
    return rows.length > 0 ? this.find(workspaceId, id) : null;
  }

  /** Writes one attempt's outcome and where the delivery stands now. */
  async recordAttempt(
    delivery: WebhookDelivery,
    attempt: DeliveryAttempt,
    next: { status: DeliveryStatus; nextAttemptAt: Date | null },
  ): Promise<void> {
    await this.rows.update(
      { workspaceId: delivery.workspaceId, id: delivery.id },
      {
        status: next.status,
        nextAttemptAt: next.nextAttemptAt,
        attempts: delivery.attempts + 1,
        lastAttemptAt: new Date(attempt.at),
        responseStatus: attempt.responseStatus,
        latencyMs: attempt.latencyMs,
        error: attempt.error,
        attemptLog: [...delivery.attemptLog, attempt].slice(-KEPT_ATTEMPTS),
      },
    );
  }

  /** Ends a delivery without an attempt (its endpoint was disabled meanwhile). */
  async abandon(workspaceId: string, id: string, error: string): Promise<void> {
    await this.rows.update({ workspaceId, id }, { status: 'failed', nextAttemptAt: null, error });
  }

  /** A finished delivery goes back to pending for one more attempt. Answers false when it is not finished. */
  async reopen(workspaceId: string, id: string, now: Date): Promise<boolean> {
    const [rows]: [unknown[]] = await this.rows.query(
      `UPDATE webhook_delivery SET status = 'pending', max_attempts = attempts + 1, next_attempt_at = $3, updated_at = now()
        WHERE workspace_id = $1 AND id = $2 AND status IN ('succeeded', 'failed') RETURNING id`,
      [workspaceId, id, now],
    );
    return rows.length > 0;
  }

  /**
   * Deliveries whose attempt is overdue (their job was lost with Redis) or that stayed "sending"
   * past any timeout (a worker died mid-attempt): put back to pending and listed for a new job.
   */
  async overdue(now: Date, graceMs: number, limit: number): Promise<{ workspaceId: string; id: string; attempts: number }[]> {
    const cutoff = new Date(now.getTime() - graceMs);
    const [rows]: [{ workspace_id: string; id: string; attempts: number }[]] = await this.rows.query(
      `UPDATE webhook_delivery SET status = 'pending', next_attempt_at = COALESCE(next_attempt_at, $1), updated_at = now()
        WHERE id IN (SELECT id FROM webhook_delivery
                      WHERE (status = 'pending' AND next_attempt_at < $1) OR (status = 'sending' AND updated_at < $1)
                      ORDER BY next_attempt_at NULLS FIRST LIMIT $2)
        RETURNING workspace_id, id, attempts`,
      [cutoff, limit],
    );
    return rows.map((r) => ({ workspaceId: r.workspace_id, id: r.id, attempts: r.attempts }));
  }
}

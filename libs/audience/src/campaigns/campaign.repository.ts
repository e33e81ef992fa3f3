import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Campaign } from './campaign.entity';

/** How long a worker holds a campaign it is paging; a dead worker's campaign is taken over after. */
const LEASE_SECONDS = 30;

export interface MessageTally {
  status: string;
  reason: string | null;
  n: number;
}

/**
 * The campaign row's paging state (lease, checkpoint, throttle window) and the queries over its
 * messages. A campaign's messages are found by their gateway key, `campaign:<id>:<contactId>`:
 * a range of the (workspace_id, idempotency_key) index (the database collation is C, so the
 * prefix is one contiguous range).
 */
@Injectable()
export class CampaignRepository {
  constructor(
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  get(workspaceId: string, id: string): Promise<Campaign | null> {
    return this.campaigns.findOne({ where: { workspaceId, id } });
  }

  byId(id: string): Promise<Campaign | null> {
    return this.campaigns.findOne({ where: { id } });
  }

  /**
   * Campaigns that need a worker now: due scheduled ones and sending ones nobody holds, the one
   * that waited longest first (a page's checkpoint touches `updated_at`, so a campaign that just
   * had its turn goes after the others).
   */
  async due(now: Date, limit = 20): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM campaign
        WHERE ((status = 'scheduled' AND start_at <= $1) OR status = 'sending')
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY updated_at, id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Takes the campaign for this worker, or null when another holds it or it is not runnable. */
  async lease(id: string, now: Date): Promise<Campaign | null> {
    const [rows]: [{ id: string }[]] = await this.dataSource.query(
      `UPDATE campaign SET lease_until = now() + make_interval(secs => $2)
        WHERE id = $1 AND ((status = 'scheduled' AND start_at <= $3) OR status = 'sending')
          AND (lease_until IS NULL OR lease_until < now())
        RETURNING id`,
      [id, LEASE_SECONDS, now],
    );
    return rows.length > 0 ? this.byId(id) : null;
  }

  async release(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE campaign SET lease_until = NULL WHERE id = $1`, [id]);
  }

  /** The checkpoint after a page was handed over: the last contact id, the count, the throttle window, a renewed lease. */
  async checkpoint(id: string, page: { cursor: string | null; count: number; finished: boolean; now: Date; newWindow: boolean }): Promise<void> {
    await this.dataSource.query(
      `UPDATE campaign
          SET cursor = COALESCE($2, cursor), resolved_count = resolved_count + $3,
              resolved_at = CASE WHEN $4 THEN $5::timestamptz ELSE resolved_at END,
              window_started_at = CASE WHEN $6 THEN $5::timestamptz ELSE window_started_at END,
              window_count = CASE WHEN $6 THEN $3 ELSE window_count + $3 END,
              lease_until = now() + make_interval(secs => $7), updated_at = now()
        WHERE id = $1`,
      [id, page.cursor, page.count, page.finished, page.now, page.newWindow, LEASE_SECONDS],
    );
  }

  /** Moves a campaign between statuses; false when it was not in one of `from`. */
  async transition(workspaceId: string, id: string, from: string[], to: string, extra: { finishedAt?: Date } = {}): Promise<boolean> {
    const [rows]: [unknown[]] = await this.dataSource.query(
      `UPDATE campaign SET status = $3, finished_at = COALESCE($5, finished_at), updated_at = now()
        WHERE workspace_id = $1 AND id = $2 AND status = ANY($4::text[]) RETURNING id`,
      [workspaceId, id, to, from, extra.finishedAt ?? null],
    );
    return rows.length > 0;
  }

  /**
   * A cancelled campaign's messages not yet handed to a provider are withdrawn: blocked with
   * `campaign_cancelled`. The send path claims only queued/deferred rows, so each message is
   * either withdrawn here or handed off there, never both.
   */
  async withdrawPending(workspaceId: string, campaignId: string): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `UPDATE message SET status = 'blocked', reason = 'campaign_cancelled', deferred_until = NULL, updated_at = now()
        WHERE workspace_id = $1 AND idempotency_key >= $2 AND idempotency_key < $3 AND status IN ('queued', 'deferred')`,
      [workspaceId, ...keyRange(campaignId)],
    );
    return count;
  }

  /** Whether any of the campaign's messages still waits for a decision. */
  async hasPending(workspaceId: string, campaignId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM message WHERE workspace_id = $1 AND idempotency_key >= $2 AND idempotency_key < $3 AND status IN ('queued', 'deferred', 'sending', 'held') LIMIT 1`,
      [workspaceId, ...keyRange(campaignId)],
    );
    return rows.length > 0;
  }

  /** The workspace's messages waiting for their send job (the runner's back-pressure). */
  async queuedInWorkspace(workspaceId: string, cap: number): Promise<number> {
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM message WHERE workspace_id = $1 AND status = 'queued' LIMIT $2) q`,
      [workspaceId, cap],
    );
    return row.n;
  }

  async tally(workspaceId: string, campaignId: string): Promise<MessageTally[]> {
    return this.dataSource.query(
      `SELECT status, reason, count(*)::int AS n FROM message
        WHERE workspace_id = $1 AND idempotency_key >= $2 AND idempotency_key < $3 GROUP BY 1, 2`,
      [workspaceId, ...keyRange(campaignId)],
    );
  }
}

/** `campaign:<id>:` up to (not including) `campaign:<id>;` — every key of the campaign. */
function keyRange(campaignId: string): [string, string] {
  return [`campaign:${campaignId}:`, `campaign:${campaignId};`];
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, invalidField } from '@optline/core';
import { DataSource } from 'typeorm';
import { ReportSettings, ReportSettingsService } from '../settings/report-settings.service';

export const GROUP_BYS = ['none', 'flow', 'flowVersion', 'step', 'campaign', 'type', 'source', 'provider'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export type Granularity = 'day' | 'hour';

const GROUP_COLUMN: Record<GroupBy, string> = {
  none: `''`,
  flow: 'flow_id',
  flowVersion: 'flow_version_id',
  step: `CASE WHEN step_id = '' THEN '' ELSE flow_id || ':' || step_id END`,
  campaign: 'campaign_id',
  type: 'type',
  source: 'source',
  provider: 'provider',
};

export interface ReportFilter {
  from?: string;
  to?: string;
  granularity?: Granularity;
  groupBy?: GroupBy;
  flowId?: string;
  campaignId?: string;
  type?: string;
  source?: string;
}

/** One row of numbers: a bucket and/or a group. */
export interface ReportNumbers {
  sent: number;
  delivered: number;
  deliveryRate: number;
  undelivered: number;
  failed: number;
  blocked: number;
  deferred: number;
  segments: number;
  cost: number;
  clicks: number;
  uniqueClicks: number;
  clickRate: number;
  replies: number;
  optOuts: number;
  optOutRate: number;
  conversions: number;
  revenue: number;
}

export interface SeriesRow extends ReportNumbers {
  bucket: string | null;
  group: string;
  label: string;
}

interface Window {
  workspaceId: string;
  grain: Granularity;
  from: Date;
  to: Date;
  timeZone: string;
}

const MEASURE_FIELD: Record<string, keyof ReportNumbers> = {
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  blocked: 'blocked',
  deferred: 'deferred',
  click: 'clicks',
  clicked: 'uniqueClicks',
  reply: 'replies',
  opt_out: 'optOuts',
  conversion: 'conversions',
};

const HOUR_RANGE_LIMIT_MS = 31 * 24 * 3600_000;

/** A share rounded to four decimals (0.3333), 0 when nothing was counted. */
export function rate(part: number, whole: number): number {
  return whole ? Math.round((part / whole) * 10_000) / 10_000 : 0;
}

export function emptyNumbers(): ReportNumbers {
  return { sent: 0, delivered: 0, deliveryRate: 0, undelivered: 0, failed: 0, blocked: 0, deferred: 0, segments: 0, cost: 0, clicks: 0, uniqueClicks: 0, clickRate: 0, replies: 0, optOuts: 0, optOutRate: 0, conversions: 0, revenue: 0 };
}

/**
 * Answers reports from the rollups only (an index range on the workspace, grain and bucket):
 * the time a report takes depends on the buckets asked for, not on how many messages exist.
 */
@Injectable()
export class ReportQueryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: ReportSettingsService,
    private readonly clock: Clock,
  ) {}

  /** Numbers per bucket (and group). `bucket` is a local date for days, an ISO instant for hours. */
  async series(workspaceId: string, filter: ReportFilter): Promise<{ window: Window; settings: ReportSettings; rows: SeriesRow[] }> {
    return this.numbers(workspaceId, filter, true);
  }

  /** Totals per group over the range. */
  async breakdown(workspaceId: string, filter: ReportFilter): Promise<{ window: Window; settings: ReportSettings; rows: SeriesRow[] }> {
    return this.numbers(workspaceId, { ...filter, granularity: filter.granularity ?? 'day' }, false);
  }

  /** Failures, undelivered, blocks and deferrals by error code or reason. */
  async reasons(workspaceId: string, filter: ReportFilter): Promise<{ measure: string; detail: string; count: number }[]> {
    const window = await this.window(workspaceId, filter);
    const { where, params } = this.where(window, filter);
    const rows: { measure: string; detail: string; count: string }[] = await this.db.query(
      `SELECT measure, detail, sum(count) AS count FROM report_rollup WHERE ${where} AND measure IN ('failed', 'undelivered', 'blocked', 'deferred')
        GROUP BY measure, detail ORDER BY sum(count) DESC, measure, detail`,
      params,
    );
    return rows.map((r) => ({ measure: r.measure, detail: r.detail, count: Number(r.count) }));
  }

  /** Most clicked links: total clicks and the messages that clicked each. */
  async links(workspaceId: string, filter: ReportFilter, limit: number): Promise<{ url: string; clicks: number; uniqueClicks: number }[]> {
    const window = await this.window(workspaceId, filter);
    const { where, params } = this.where(window, filter);
    const rows: { url: string; clicks: string; unique_clicks: string }[] = await this.db.query(
      `SELECT detail AS url, sum(count) FILTER (WHERE measure = 'click') AS clicks, sum(count) FILTER (WHERE measure = 'link_click') AS unique_clicks
         FROM report_rollup WHERE ${where} AND measure IN ('click', 'link_click')
        GROUP BY detail ORDER BY 2 DESC, 1 LIMIT ${Math.max(1, Math.min(limit, 100))}`,
      params,
    );
    return rows.map((r) => ({ url: r.url, clicks: Number(r.clicks ?? 0), uniqueClicks: Number(r.unique_clicks ?? 0) }));
  }

  /** entered → sent → delivered → clicked → converted for one flow. */
  async funnel(workspaceId: string, flowId: string, filter: ReportFilter): Promise<{ entered: number; sent: number; delivered: number; clicked: number; converted: number; revenue: number }> {
    const window = await this.window(workspaceId, filter);
    const { where, params } = this.where(window, { ...filter, flowId });
    const [totals] = await this.db.query(
      `SELECT COALESCE(sum(count) FILTER (WHERE measure = 'sent'), 0) AS sent, COALESCE(sum(count) FILTER (WHERE measure = 'delivered'), 0) AS delivered,
              COALESCE(sum(count) FILTER (WHERE measure = 'clicked'), 0) AS clicked, COALESCE(sum(count) FILTER (WHERE measure = 'conversion'), 0) AS converted,
              COALESCE(sum(revenue) FILTER (WHERE measure = 'conversion'), 0) AS revenue
         FROM report_rollup WHERE ${where}`,
      params,
    );
    // Runs started in the range: an index range on flow_run (workspace, flow, started_at).
    const [entered] = await this.db.query(`SELECT count(*)::int AS n FROM flow_run WHERE workspace_id = $1 AND flow_id = $2 AND started_at >= $3 AND started_at < $4`, [
      workspaceId,
      flowId,
      window.from,
      window.to,
    ]);
    return {
      entered: entered.n,
      sent: Number(totals.sent),
      delivered: Number(totals.delivered),
      clicked: Number(totals.clicked),
      converted: Number(totals.converted),
      revenue: Number(totals.revenue),
    };
  }

  async window(workspaceId: string, filter: ReportFilter): Promise<Window> {
    const grain = filter.granularity ?? 'day';
    const [ws] = await this.db.query(`SELECT time_zone FROM workspace WHERE id = $1`, [workspaceId]);
    const timeZone: string = ws?.time_zone ?? 'UTC';
    const bound = async (value: string | undefined, fallback: string, endOfDay: boolean): Promise<Date> => {
      const [row] = await this.db.query(
        `SELECT CASE WHEN $1 ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN (($1::date + $3::int)::timestamp AT TIME ZONE $2) ELSE $1::timestamptz END AS at`,
        [value ?? fallback, timeZone, endOfDay ? 1 : 0],
      );
      return row.at;
    };
    const now = this.clock.now().getTime();
    const to = await bound(filter.to, new Date(grain === 'hour' ? Math.ceil(now / 3600_000) * 3600_000 : now + 86_400_000).toISOString(), true);
    const from = await bound(filter.from, new Date(to.getTime() - (grain === 'hour' ? 48 * 3600_000 : 30 * 86_400_000)).toISOString(), false);
    if (from.getTime() >= to.getTime()) throw invalidField('from', 'must be before to');
    if (grain === 'hour' && to.getTime() - from.getTime() > HOUR_RANGE_LIMIT_MS) throw invalidField('to', 'an hourly report covers at most 31 days');
    return { workspaceId, grain, from, to, timeZone };
  }

  private where(window: Window, filter: ReportFilter): { where: string; params: unknown[] } {
    const params: unknown[] = [window.workspaceId, window.grain, window.from, window.to];
    const clauses = ['workspace_id = $1', 'grain = $2', 'bucket >= $3', 'bucket < $4'];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      clauses.push(`${column} = $${params.length}`);
    };
    add('flow_id', filter.flowId);
    add('campaign_id', filter.campaignId);
    add('type', filter.type);
    add('source', filter.source);
    return { where: clauses.join(' AND '), params };
  }

  private async numbers(workspaceId: string, filter: ReportFilter, byBucket: boolean): Promise<{ window: Window; settings: ReportSettings; rows: SeriesRow[] }> {
    const window = await this.window(workspaceId, filter);
    const settings = await this.settings.get(workspaceId);
    const { where, params } = this.where(window, filter);
    const groupBy = filter.groupBy ?? 'none';
    const bucket = !byBucket ? `NULL::text` : window.grain === 'day' ? `to_char(bucket AT TIME ZONE '${window.timeZone.replace(/'/g, "''")}', 'YYYY-MM-DD')` : `to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"')`;
    const rows: { bucket: string | null; grp: string; measure: string; provider: string; count: string; segments: string; revenue: string }[] = await this.db.query(
      `SELECT ${bucket} AS bucket, ${GROUP_COLUMN[groupBy]} AS grp, measure, provider, sum(count) AS count, sum(segments) AS segments, sum(revenue) AS revenue
         FROM report_rollup WHERE ${where}
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2`,
      params,
    );
    const byKey = new Map<string, SeriesRow>();
    for (const r of rows) {
      const key = `${r.bucket}\u0000${r.grp}`;
      let row = byKey.get(key);
      if (!row) byKey.set(key, (row = { bucket: r.bucket, group: r.grp, label: r.grp, ...emptyNumbers() }));
      const field = MEASURE_FIELD[r.measure];
      if (field) row[field] += Number(r.count);
      if (r.measure === 'sent') {
        row.segments += Number(r.segments);
        row.cost += Number(r.segments) * (settings.segmentPrices[r.provider] ?? 0);
      }
      if (r.measure === 'conversion') row.revenue += Number(r.revenue);
    }
    const result = [...byKey.values()];
    for (const row of result) {
      row.cost = Math.round(row.cost * 10_000) / 10_000;
      row.revenue = Math.round(row.revenue * 100) / 100;
      row.deliveryRate = rate(row.delivered, row.sent);
      row.clickRate = rate(row.uniqueClicks, row.delivered);
      row.optOutRate = rate(row.optOuts, row.delivered);
    }
    await this.label(workspaceId, groupBy, result);
    return { window, settings, rows: result };
  }

  /** Names for flow, version, step and campaign groups (ids stay in `group`). */
  private async label(workspaceId: string, groupBy: GroupBy, rows: SeriesRow[]): Promise<void> {
    const ids = [...new Set(rows.map((r) => (groupBy === 'step' ? r.group.split(':')[0] : r.group)).filter((g) => /^[0-9a-f-]{36}$/.test(g)))];
    if (ids.length === 0) return;
    const sql: Partial<Record<GroupBy, string>> = {
      flow: `SELECT id::text, name FROM flow WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
      step: `SELECT id::text, name FROM flow WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
      flowVersion: `SELECT v.id::text, f.name || ' v' || v.version AS name FROM flow_version v JOIN flow f ON f.id = v.flow_id WHERE v.workspace_id = $1 AND v.id = ANY($2::uuid[])`,
      campaign: `SELECT id::text, name FROM campaign WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
    };
    if (!sql[groupBy]) return;
    const names = new Map<string, string>((await this.db.query(sql[groupBy]!, [workspaceId, ids])).map((r: { id: string; name: string }) => [r.id, r.name]));
    for (const row of rows) {
      if (groupBy === 'step') {
        const [flowId, ...step] = row.group.split(':');
        if (names.has(flowId)) row.label = `${names.get(flowId)} · ${step.join(':')}`;
      } else if (names.has(row.group)) row.label = names.get(row.group)!;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalidField, KeyedMemo } from '@optline/core';
import { DataSource } from 'typeorm';

/** A workspace's reporting settings (docs/reporting.md "Attribution"). */
export interface ReportSettings {
  clickWindowMinutes: number;
  deliveryWindowMinutes: number;
  replyWindowMinutes: number;
  optOutWindowMinutes: number;
  /** Opt-outs per delivered message above which the console warns (0.02 = 2 %). */
  optOutWarningRate: number;
  /** Trigger-event types that count as conversions. */
  conversionEvents: string[];
  /** Price of one segment per provider, in `currency` units (e.g. { twilio: 0.0079 }). */
  segmentPrices: Record<string, number>;
  currency: string;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  clickWindowMinutes: 5 * 24 * 60,
  deliveryWindowMinutes: 24 * 60,
  replyWindowMinutes: 3 * 24 * 60,
  optOutWindowMinutes: 2 * 24 * 60,
  optOutWarningRate: 0.02,
  conversionEvents: ['order.created'],
  segmentPrices: {},
  currency: 'USD',
};

/** The settings as SQL expressions over `report_settings s` (LEFT JOINed), defaults included. */
export const SETTINGS_SQL = {
  clickWindow: `COALESCE(s.click_window_minutes, ${DEFAULT_REPORT_SETTINGS.clickWindowMinutes})`,
  deliveryWindow: `COALESCE(s.delivery_window_minutes, ${DEFAULT_REPORT_SETTINGS.deliveryWindowMinutes})`,
  replyWindow: `COALESCE(s.reply_window_minutes, ${DEFAULT_REPORT_SETTINGS.replyWindowMinutes})`,
  optOutWindow: `COALESCE(s.opt_out_window_minutes, ${DEFAULT_REPORT_SETTINGS.optOutWindowMinutes})`,
  conversionEvents: `COALESCE(s.conversion_events, ARRAY['order.created'])`,
};

interface SettingsRow {
  click_window_minutes: number;
  delivery_window_minutes: number;
  reply_window_minutes: number;
  opt_out_window_minutes: number;
  opt_out_warning_rate: string;
  conversion_events: string[];
  segment_prices: Record<string, number>;
  currency: string;
}

/** Reads and writes `report_settings`; says whether a change moved an attribution window. */
@Injectable()
export class ReportSettingsService {
  /** Asked for every trigger event the dispatch hands over; cleared by this process's writes. */
  private readonly memo = new KeyedMemo<ReportSettings>(1000);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The settings, remembered for a second (hot path: which event types are conversions). */
  cached(workspaceId: string): Promise<ReportSettings> {
    return this.memo.get(workspaceId, () => this.get(workspaceId));
  }

  async get(workspaceId: string): Promise<ReportSettings> {
    const [row]: SettingsRow[] = await this.db.query(`SELECT * FROM report_settings WHERE workspace_id = $1`, [workspaceId]);
    if (!row) return { ...DEFAULT_REPORT_SETTINGS, segmentPrices: {}, conversionEvents: [...DEFAULT_REPORT_SETTINGS.conversionEvents] };
    return {
      clickWindowMinutes: row.click_window_minutes,
      deliveryWindowMinutes: row.delivery_window_minutes,
      replyWindowMinutes: row.reply_window_minutes,
      optOutWindowMinutes: row.opt_out_window_minutes,
      optOutWarningRate: Number(row.opt_out_warning_rate),
      conversionEvents: row.conversion_events,
      segmentPrices: row.segment_prices,
      currency: row.currency,
    };
  }

  /** Saves a change; answers the new settings and whether attribution must be recomputed. */
  async update(workspaceId: string, change: Partial<ReportSettings>): Promise<{ settings: ReportSettings; attributionChanged: boolean }> {
    const before = await this.get(workspaceId);
    for (const [field, price] of Object.entries(change.segmentPrices ?? {})) {
      if (typeof price !== 'number' || !Number.isFinite(price) || price < 0 || price > 100) throw invalidField(`segmentPrices.${field}`, 'must be a number between 0 and 100');
    }
    const next: ReportSettings = { ...before, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
    await this.db.query(
      `INSERT INTO report_settings (workspace_id, click_window_minutes, delivery_window_minutes, reply_window_minutes, opt_out_window_minutes,
                                    opt_out_warning_rate, conversion_events, segment_prices, currency, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (workspace_id) DO UPDATE SET click_window_minutes = $2, delivery_window_minutes = $3, reply_window_minutes = $4,
         opt_out_window_minutes = $5, opt_out_warning_rate = $6, conversion_events = $7, segment_prices = $8, currency = $9, updated_at = now()`,
      [
        workspaceId,
        next.clickWindowMinutes,
        next.deliveryWindowMinutes,
        next.replyWindowMinutes,
        next.optOutWindowMinutes,
        next.optOutWarningRate,
        next.conversionEvents,
        JSON.stringify(next.segmentPrices),
        next.currency,
      ],
    );
    this.memo.clear();
    const attributionChanged =
      before.clickWindowMinutes !== next.clickWindowMinutes ||
      before.deliveryWindowMinutes !== next.deliveryWindowMinutes ||
      before.replyWindowMinutes !== next.replyWindowMinutes ||
      before.optOutWindowMinutes !== next.optOutWindowMinutes ||
      before.conversionEvents.join() !== next.conversionEvents.join();
    return { settings: next, attributionChanged };
  }
}

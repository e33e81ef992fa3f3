import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, DomainEventBus, JobPayloads, JobQueue, MAX_BATCH_JOB_IDS, WorkspaceService } from '@optline/core';
import { MessageDrafter, TemplateRenderer } from '@optline/messaging';
import { DataSource } from 'typeorm';
import { SegmentCompiler } from '../segments/segment-compiler';
import type { Campaign } from './campaign.entity';

/** One page of a campaign handed over in SQL: how many contacts it covered and the last one (the checkpoint). */
export interface BulkPage {
  count: number;
  lastContactId: string | null;
  queued: number;
  blocked: number;
}

/** A message campaign whose text is the same for everyone: rendered once, with its segment count. */
export interface SharedText {
  body: string;
  segments: number;
  encoding: string;
}

/**
 * A one-message campaign whose text does not depend on the recipient, handed over a page at a
 * time in one SQL statement (decision 0204): the audience page is selected by the compiled
 * segment WHERE (keyset after the checkpoint), consent and suppression are read for the page by
 * joins, and the message rows are written by INSERT … SELECT under the campaign's gateway keys
 * (`campaign:<id>:<contactId>`; a page written twice inserts nothing the second time). A
 * recipient already opted out, not opted in to marketing, or on the suppression list gets a
 * `blocked` row with the reason and trace the send-time policies would give; everyone else a
 * `queued` row, and one `sms.send-batch` job per 500 of them. Each queued message is still
 * decided by every policy when its job runs, and checked again atomically with the hand-off
 * claim (law 2, decision 0145): this only saves the send path the work for people the campaign
 * cannot reach.
 */
@Injectable()
export class CampaignBulkWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly renderer: TemplateRenderer,
    private readonly drafter: MessageDrafter,
    private readonly workspaces: WorkspaceService,
    private readonly jobs: JobQueue,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
  ) {}

  /**
   * The campaign's text when it is the same for every recipient — its template reads only
   * `workspace.*` and makes no branded link (a link is a row per message) — else null, and the
   * campaign goes through the gateway's per-recipient `submitMany`.
   */
  async sharedText(campaign: Campaign): Promise<SharedText | null> {
    const content = campaign.content;
    if (content.kind !== 'message' || campaign.schedule.mode === 'local') return null;
    let independent: boolean;
    try {
      independent = this.renderer.validate(content.body, ['workspace']).length === 0;
    } catch {
      return null; // a syntax error: the per-recipient path reports it on each message as before
    }
    if (!independent) return null;
    const workspace = await this.workspaces.get(campaign.workspaceId);
    const draft = await this.drafter.draft(workspace, null, { workspaceId: campaign.workspaceId, type: content.messageType, template: content.body, idempotencyKey: 'campaign-preview' });
    if (draft.links.length > 0) return null;
    return { body: draft.body, segments: draft.segments, encoding: draft.encoding };
  }

  /** Writes the page of up to `limit` members after `after`, and enqueues the send jobs of its queued rows. */
  async writePage(campaign: Campaign, text: SharedText, after: string | null, limit: number): Promise<BulkPage> {
    const content = campaign.content;
    if (content.kind !== 'message') throw new Error('a flow campaign has no messages to write');
    const workspaceId = campaign.workspaceId;
    const rule = SegmentCompiler.compile(campaign.audienceRule ?? false, after ? [workspaceId, after] : [workspaceId], 'conditions', this.clock.now());
    const p = (value: unknown) => {
      rule.params.push(value);
      return `$${rule.params.length}`;
    };
    const type = p(content.messageType);
    const now = `${p(this.clock.now())}::timestamptz`;
    const keyPrefix = p(`campaign:${campaign.id}:`);
    // The decisions the suppression and consent policies take, in their order, for the two types a campaign sends.
    const decision = `
      CASE
        WHEN f.phone IS NULL THEN 'no_phone'
        WHEN f.suppressed THEN 'suppressed'
        WHEN f.consent = 'opted_out' THEN 'opted_out'
        WHEN ${type} = 'marketing' AND f.consent = 'none' THEN 'no_consent'
        WHEN ${type} = 'marketing' AND f.consent = 'pending' THEN 'pending_opt_in'
      END`;
    const sql = `
      WITH page AS (
        SELECT c.id, c.phone, c.phone_hash FROM contact c
         WHERE c.workspace_id = $1 AND c.erased_at IS NULL ${after ? 'AND c.id > $2' : ''} AND ${rule.sql}
         ORDER BY c.id LIMIT ${Math.max(1, Math.min(20_000, Math.trunc(limit)))}
      ), facts AS (
        SELECT pg.id, pg.phone,
               EXISTS (SELECT 1 FROM suppression s WHERE s.workspace_id = $1 AND s.phone_hash = pg.phone_hash) AS suppressed,
               COALESCE((SELECT cs.state FROM consent_state cs WHERE cs.contact_id = pg.id AND cs.message_type = ${type}), 'none') AS consent
          FROM page pg
      ), decided AS (
        SELECT f.*, ${decision} AS reason FROM facts f
      ), written AS (
        INSERT INTO message (workspace_id, contact_id, direction, type, phone, body, segments, encoding, status, reason, policy_trace,
                             idempotency_key, origin, created_at, updated_at)
        SELECT $1, d.id, 'outbound', ${type}, d.phone, ${p(text.body)}, ${p(text.segments)}::int, ${p(text.encoding)},
               CASE WHEN d.reason IS NULL THEN 'queued' ELSE 'blocked' END, d.reason,
               CASE
                 WHEN d.reason IS NULL THEN '[]'::jsonb
                 WHEN d.reason IN ('no_phone', 'suppressed') THEN jsonb_build_array(jsonb_build_object('policy', 'suppression', 'outcome', 'block', 'reason', d.reason, 'detail', ${p(RESOLUTION_NOTE)}::jsonb))
                 ELSE jsonb_build_array(
                   jsonb_build_object('policy', 'suppression', 'outcome', 'pass', 'reason', 'not_suppressed'),
                   jsonb_build_object('policy', 'consent', 'outcome', 'block', 'reason', d.reason, 'detail', ${p(RESOLUTION_NOTE)}::jsonb || jsonb_build_object('state', d.consent)))
               END,
               ${keyPrefix} || d.id::text, ${p(JSON.stringify({ campaignId: campaign.id }))}::jsonb, ${now}, ${now}
          FROM decided d
        ON CONFLICT DO NOTHING
        RETURNING id, contact_id, status, reason
      )
      SELECT 'page' AS kind, (SELECT count(*) FROM page)::int AS n, (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS id, NULL::uuid AS contact_id, NULL AS status, NULL AS reason
      UNION ALL
      SELECT 'row', NULL, w.id, w.contact_id, w.status, w.reason FROM written w`;
    const rows = await this.dataSource.transaction(async (manager) => {
      // As AudienceQuery: these scans and joins gain nothing from JIT compilation, which costs more than they do.
      await manager.query('SET LOCAL jit = off');
      return (await manager.query(sql, rule.params)) as { kind: 'page' | 'row'; n: number | null; id: string | null; contact_id: string | null; status: string | null; reason: string | null }[];
    });
    const summary = rows.find((r) => r.kind === 'page')!;
    const written = rows.filter((r) => r.kind === 'row');
    const queued = written.filter((r) => r.status === 'queued').map((r) => r.id!);
    const blocked = written.filter((r) => r.status === 'blocked');
    const jobs: JobPayloads['sms.send-batch'][] = [];
    for (let start = 0; start < queued.length; start += MAX_BATCH_JOB_IDS) jobs.push({ workspaceId, messageIds: queued.slice(start, start + MAX_BATCH_JOB_IDS) });
    await this.jobs.enqueueMany('sms.send-batch', jobs);
    // The rest of the hub (reports, metrics) learns of a blocked message as it would from the send path.
    for (const row of blocked) {
      await this.events.publish('message.status_changed', { workspaceId, messageId: row.id!, contactId: row.contact_id, status: 'blocked', type: content.messageType, systemKind: null, reason: row.reason });
    }
    return { count: summary.n ?? 0, lastContactId: summary.id, queued: queued.length, blocked: blocked.length };
  }
}

/** Said in the trace of a message blocked when its page was written rather than when its job ran. */
const RESOLUTION_NOTE = JSON.stringify({ checkedAt: 'resolution', note: 'decided when the campaign page was written: the person could not be texted then' });

/**
 * The SQL that turns candidate facts into stored facts and rollups. One statement per batch:
 * the facts insert with ON CONFLICT DO NOTHING, and only the rows it really inserted are added
 * to the rollups — so a replayed status callback, click or order never counts twice
 * (docs/decisions/0210). The recompute job runs the very same statements over the raw rows,
 * which is why it arrives at the same numbers.
 */

/** Measures derived from the message row itself (re-derived by the recompute). */
export const MESSAGE_MEASURES = ['sent', 'delivered', 'undelivered', 'failed', 'blocked'] as const;
/** Observations that only the events saw (the link table keeps a count, not each click). */
export const OBSERVED_MEASURES = ['deferred', 'click', 'link_click', 'clicked'] as const;
/** Attributed to the message that preceded them (re-attributed by the recompute). */
export const ATTRIBUTED_MEASURES = ['reply', 'opt_out', 'conversion'] as const;
export const MEASURES = [...MESSAGE_MEASURES, ...OBSERVED_MEASURES, ...ATTRIBUTED_MEASURES] as const;
export type Measure = (typeof MEASURES)[number];

/** The dimensions every fact and rollup row carries, in the rollup key's order. */
export const DIMENSIONS = ['flow_id', 'flow_version_id', 'step_id', 'campaign_id', 'type', 'source', 'provider', 'detail'] as const;

/**
 * A message's reporting dimensions. `source` says what started it: the plugin whose event
 * started the flow run ('hub' for the hub's own events), 'campaign', 'conversation', 'keyword'
 * (system replies), 'api' or 'other'. Facts are bucketed by the message's send time (cohort).
 */
const MESSAGE_DIMS = `
  COALESCE(r.flow_id::text, '') AS flow_id,
  COALESCE(r.flow_version_id::text, '') AS flow_version_id,
  COALESCE(m.origin->>'stepId', '') AS step_id,
  COALESCE(m.origin->>'campaignId', '') AS campaign_id,
  m.type,
  CASE WHEN m.origin ? 'campaignId' THEN 'campaign'
       WHEN r.id IS NOT NULL THEN COALESCE(te.plugin_id, 'hub')
       WHEN m.origin ? 'conversationId' THEN 'conversation'
       WHEN m.origin ? 'systemKind' THEN 'keyword'
       WHEN m.origin ? 'apiKeyId' OR m.origin ? 'userId' THEN 'api'
       ELSE 'other' END AS source,
  COALESCE(m.provider, '') AS provider,
  COALESCE(m.sent_at, m.created_at) AS bucket_at,
  m.contact_id`;

const MESSAGE_JOINS = `
  LEFT JOIN flow_run r ON r.id = CASE WHEN m.origin->>'flowRunId' ~ '^[0-9a-f-]{36}$' THEN (m.origin->>'flowRunId')::uuid END AND r.workspace_id = m.workspace_id
  LEFT JOIN trigger_event te ON te.id = r.trigger_event_id`;

/**
 * Wraps a candidate query — columns (workspace_id, message_id, measure, fact_key, occurred_at,
 * detail, revenue) — into: store the new facts, add them to the day (workspace time zone) and
 * hour rollups, answer how many facts were new.
 */
export function storeFactsSql(candidates: string, withRollups = true): string {
  return storeRowsSql(
    `SELECT c.workspace_id, c.message_id, c.measure, c.fact_key, c.occurred_at, c.detail, c.revenue,
            CASE WHEN c.measure = 'sent' THEN m.segments ELSE 0 END AS segments, ${MESSAGE_DIMS}
       FROM (${candidates}) c
       JOIN message m ON m.id = c.message_id AND m.workspace_id = c.workspace_id AND m.direction = 'outbound'
       ${MESSAGE_JOINS}`,
    withRollups,
  );
}

/**
 * Stores complete fact rows (report_fact's columns but bucket_at's name) and adds the new ones
 * to the rollups. Message facts come here straight from the message row (messageFactsSql), the
 * attributed ones through storeFactsSql's join; both paths, incremental and recompute, end here.
 */
export function storeRowsSql(rows: string, withRollups = true, unique = false): string {
  // Two candidates with one key in a statement would make ON CONFLICT fail: keep the earliest,
  // unless the rows are unique by construction (a message's own facts), which spares a sort.
  const pick = unique ? '' : 'DISTINCT ON (workspace_id, message_id, measure, fact_key)';
  const order = unique ? '' : 'ORDER BY workspace_id, message_id, measure, fact_key, occurred_at';
  return `
    WITH d AS (${rows}),
    ins AS (
      INSERT INTO report_fact (workspace_id, message_id, measure, fact_key, occurred_at, bucket_at, contact_id, ${DIMENSIONS.join(', ')}, segments, revenue)
      SELECT ${pick}
             workspace_id, message_id, measure, fact_key, occurred_at, bucket_at, contact_id, ${DIMENSIONS.join(', ')}, segments, revenue
        FROM d
       ${order}
      ON CONFLICT DO NOTHING
      RETURNING *
    ),
    ${withRollups ? `up AS (${rollupFromSql('ins')})` : 'up AS (SELECT 1)'}
    SELECT count(*)::int AS stored FROM ins`;
}

/**
 * Adds the facts of `source` (a CTE or table with report_fact's columns) to both grains. The
 * facts are first summed per 15-minute slot — every time zone's offset is a multiple of 15
 * minutes, so a slot lies inside one local day and one UTC hour — and only those sums are
 * converted to local days, which keeps a rebuild over millions of facts to one pass.
 * `ordered` upserts in key order, so two processes adding to the same rows never deadlock; the
 * recompute (alone under its exclusive lock) skips that sort.
 */
export function rollupFromSql(source: string, where = 'TRUE', ordered = true): string {
  const dims = DIMENSIONS.map((d) => `q.${d}`).join(', ');
  const keys = DIMENSIONS.map((_, i) => i + 5).join(', ');
  return `
      INSERT INTO report_rollup (workspace_id, grain, bucket, measure, ${DIMENSIONS.join(', ')}, count, segments, revenue)
      SELECT q.workspace_id, g.grain,
             CASE WHEN g.grain = 'day' THEN (date_trunc('day', q.slot AT TIME ZONE w.time_zone)) AT TIME ZONE w.time_zone
                  ELSE date_trunc('hour', q.slot) END AS bucket,
             q.measure, ${dims}, sum(q.n), sum(q.segments), sum(q.revenue)
        FROM (SELECT f.workspace_id, date_bin('15 minutes', f.bucket_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS slot, f.measure,
                     ${DIMENSIONS.map((d) => `f.${d}`).join(', ')}, count(*) AS n, sum(f.segments) AS segments, sum(f.revenue) AS revenue
                FROM ${source} f
               WHERE ${where}
               GROUP BY 1, 2, 3, ${DIMENSIONS.map((_, i) => i + 4).join(', ')}) q
        JOIN workspace w ON w.id = q.workspace_id
        CROSS JOIN (VALUES ('day'), ('hour')) AS g(grain)
       GROUP BY 1, 2, 3, 4, ${keys}
       ${ordered ? `ORDER BY 1, 2, 3, 4, ${keys}` : ''}
      ON CONFLICT (workspace_id, grain, bucket, measure, ${DIMENSIONS.join(', ')}) DO UPDATE
        SET count = report_rollup.count + EXCLUDED.count,
            segments = report_rollup.segments + EXCLUDED.segments,
            revenue = report_rollup.revenue + EXCLUDED.revenue`;
}

/**
 * Facts a message row shows by itself, with its dimensions, in one pass over the rows `filter`
 * selects (`m` is the message): some ids for the incremental path, a range of days for the
 * recompute. A deferred message that has since gone out keeps the `deferred` fact an event saw.
 */
export function messageFactsSql(filter: string, withRollups = true): string {
  return storeRowsSql(`
    SELECT m.workspace_id, m.id AS message_id, x.measure, ''::text AS fact_key, x.at AS occurred_at, x.detail, 0::numeric AS revenue,
           CASE WHEN x.measure = 'sent' THEN m.segments ELSE 0 END AS segments, ${MESSAGE_DIMS}
      FROM message m
      ${MESSAGE_JOINS}
      CROSS JOIN LATERAL (VALUES
        ('sent', m.sent_at, '', m.sent_at IS NOT NULL),
        ('delivered', COALESCE(m.delivered_at, m.sent_at, m.created_at), '', m.status = 'delivered'),
        ('undelivered', COALESCE(m.sent_at, m.created_at), COALESCE(m.error_code, ''), m.status = 'undelivered'),
        ('failed', COALESCE(m.sent_at, m.created_at), COALESCE(m.error_code, m.reason, ''), m.status = 'failed'),
        ('blocked', m.created_at, COALESCE(m.reason, ''), m.status = 'blocked'),
        ('deferred', m.created_at, '', m.status = 'deferred')
      ) AS x(measure, at, detail, applies)
     WHERE m.direction = 'outbound' AND x.applies AND ${filter}`, withRollups, true);
}

/** System texts that answer the person (a STOP's confirmation): never what the person reacted to. */
const ANSWERS = `'stop_confirmation', 'help', 'start_confirmation', 'opt_in_confirmation'`;

/**
 * The last outbound message handed to a contact at or before `at`, within `window` minutes —
 * what a reply or an opt-out is attributed to. Parameters: workspace, contact, at, window.
 */
export function precedingMessageSql(ws: string, contact: string, at: string, windowMinutes: string): string {
  return `
    SELECT p.id FROM message p
     WHERE p.workspace_id = ${ws} AND p.contact_id = ${contact} AND p.direction = 'outbound' AND p.sent_at IS NOT NULL
       AND p.sent_at <= ${at} AND p.sent_at > ${at} - make_interval(mins => ${windowMinutes})
       AND COALESCE(p.origin->>'systemKind', '') NOT IN (${ANSWERS})
     ORDER BY p.sent_at DESC, p.id DESC LIMIT 1`;
}

/**
 * The last touch before a conversion at `at`: a click within the click window, or a delivery
 * within the delivery window; the latest wins (a clicked message is touched at its click).
 */
export function lastTouchSql(ws: string, contact: string, at: string, clickWindow: string, deliveryWindow: string): string {
  return `
    SELECT t.message_id FROM (
      SELECT f.message_id, f.occurred_at AS touched FROM report_fact f
       WHERE f.workspace_id = ${ws} AND f.contact_id = ${contact} AND f.measure = 'click'
         AND f.occurred_at <= ${at} AND f.occurred_at > ${at} - make_interval(mins => ${clickWindow})
      UNION ALL
      SELECT p.id, p.delivered_at FROM message p
       WHERE p.workspace_id = ${ws} AND p.contact_id = ${contact} AND p.direction = 'outbound' AND p.status = 'delivered'
         AND p.delivered_at <= ${at} AND p.delivered_at > ${at} - make_interval(mins => ${deliveryWindow})
    ) t ORDER BY t.touched DESC, t.message_id DESC LIMIT 1`;
}

import { SETTINGS_SQL } from '../settings/report-settings.service';
import { lastTouchSql, precedingMessageSql } from './fact-sql';

/**
 * Candidate facts attributed to an earlier message (columns as `storeFactsSql` expects).
 * `filter` narrows the source rows: ids from events (incremental) or the whole workspace (recompute).
 */

/** An inbound text that is not a keyword is a reply to the last message sent to that person. */
export function replyCandidatesSql(filter: string): string {
  return `
    SELECT i.workspace_id, p.id AS message_id, 'reply'::text AS measure, i.id::text AS fact_key, i.created_at AS occurred_at, ''::text AS detail, 0::numeric AS revenue
      FROM message i
      LEFT JOIN report_settings s ON s.workspace_id = i.workspace_id
      CROSS JOIN LATERAL (${precedingMessageSql('i.workspace_id', 'i.contact_id', 'i.created_at', SETTINGS_SQL.replyWindow)}) p
     WHERE i.direction = 'inbound' AND i.contact_id IS NOT NULL AND NOT (i.origin ? 'keyword') AND ${filter}`;
}

/** An opt-out counts once for the last message sent to the person within the opt-out window. */
export function optOutCandidatesSql(filter: string): string {
  return `
    SELECT ce.workspace_id, p.id AS message_id, 'opt_out'::text AS measure, ''::text AS fact_key, ce.occurred_at, ''::text AS detail, 0::numeric AS revenue
      FROM consent_event ce
      LEFT JOIN report_settings s ON s.workspace_id = ce.workspace_id
      CROSS JOIN LATERAL (${precedingMessageSql('ce.workspace_id', 'ce.contact_id', 'ce.occurred_at', SETTINGS_SQL.optOutWindow)}) p
     WHERE ce.state = 'opted_out' AND ce.contact_id IS NOT NULL AND ${filter}`;
}

/** A price the payload carries, in the order's currency: totalPrice, revenue or value. */
const REVENUE = `COALESCE(
  (SELECT v::numeric FROM (VALUES (te.payload->>'totalPrice'), (te.payload->>'revenue'), (te.payload->>'value')) AS p(v) WHERE v ~ '^-?[0-9]{1,10}(\\.[0-9]+)?$' LIMIT 1),
  0)`;

/**
 * A conversion event by a contact counts for the last touching message (lastTouchSql).
 * `contactExpr` names the contact: the dispatch's resolved contact, or the stored one.
 */
export function conversionCandidatesSql(from: string, contactExpr: string, filter: string): string {
  return `
    SELECT te.workspace_id, t.message_id, 'conversion'::text AS measure, te.id::text AS fact_key, te.occurred_at, te.type AS detail, round(${REVENUE}, 2) AS revenue
      FROM ${from}
      LEFT JOIN report_settings s ON s.workspace_id = te.workspace_id
      CROSS JOIN LATERAL (${lastTouchSql('te.workspace_id', contactExpr, 'te.occurred_at', SETTINGS_SQL.clickWindow, SETTINGS_SQL.deliveryWindow)}) t
     WHERE te.type = ANY(${SETTINGS_SQL.conversionEvents}) AND ${contactExpr} IS NOT NULL AND ${filter}`;
}

/** Clicks from `link.clicked` events: each click, the first per link, the first per message. */
export const CLICK_CANDIDATES = `
    SELECT u.ws AS workspace_id, u.mid AS message_id, x.measure, x.fact_key, u.at AS occurred_at, x.detail, 0::numeric AS revenue
      FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::timestamptz[]) AS u(ws, mid, code, url, n, at)
      CROSS JOIN LATERAL (VALUES ('click', u.code || ':' || u.n, u.url), ('link_click', u.url, u.url), ('clicked', '', '')) AS x(measure, fact_key, detail)`;

/**
 * The columns, computed from three independent records: the carrier's log of every call it got,
 * the suite's own log of every webhook it sent (and when the hub answered 2xx), and the hub's
 * rows in Postgres (messages, the consent ledger). See docs/chaos.md for each definition.
 */
import { Pool } from 'pg';
import { CampaignWorkspace, Traffic } from './campaign';
import { CarrierCall } from './carrier';

export interface Row {
  scenario: string;
  recipients: number;
  /** Campaign texts the carrier got. */
  delivered: number;
  lost: number;
  doubled: number;
  afterOptOut: number;
  rateViolations: number;
  misrecorded: number;
  /** Informational: hand-offs recorded as ambiguous (law 4), with and without a carrier call. */
  ambiguous: number;
  ambiguousNotDelivered: number;
  /** Informational: campaign calls that reached the carrier after the STOP's answer but were claimed before the opt-out was recorded. */
  inFlightAtStop: number;
  peakPerSecond: number;
  /** The busiest second by the hub's own hand-off times (handed_off_at): the limiter without the transport. */
  peakPerSecondAtClaim: number;
  rate: number;
  stopP50Ms: number | null;
  stopP99Ms: number | null;
  stops: number;
  inbound: number;
  settleSeconds: number;
  details: string[];
}

export const GATED = ['lost', 'doubled', 'afterOptOut', 'rateViolations', 'misrecorded'] as const;

/**
 * Calls allowed in any sliding second above the sender's rate. The limiter spaces hand-offs
 * 1000/rate ms apart; between the slot and the carrier's clock lie the claim statement, the HTTP
 * request and the event loops of two busy processes on a shared 2-core machine (measured up to a
 * few hundred ms under load), which can bunch slots that were a little over a second apart into
 * one second. 20 % of the rate plus one absorbs that; a limiter that forgets its bookings (Redis
 * lost) lets through about twice the rate and is well above it.
 */
export function rateTolerance(rate: number): number {
  return Math.ceil(rate * 0.2) + 1;
}

/** Calls that were above rate + tolerance within the second before them; and the busiest second. */
export function slidingSecond(times: number[], rate: number): { violations: number; peak: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const limit = rate + rateTolerance(rate);
  let violations = 0;
  let peak = 0;
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[start] >= 1000) start++;
    const inWindow = i - start + 1;
    peak = Math.max(peak, inWindow);
    if (inWindow > limit) violations++;
  }
  return { violations, peak };
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const HANDED = new Set(['sent', 'delivered', 'undelivered']);

interface MessageRow {
  id: string;
  contact_id: string | null;
  type: string;
  status: string;
  reason: string | null;
  error_code: string | null;
  handed_off_at: Date | null;
  system_kind: string | null;
}

/** A hand-off whose outcome the hub does not know (law 4): still `sending`, or flagged ambiguous. */
function ambiguousHandoff(m: MessageRow): boolean {
  return m.status === 'sending' || m.status === 'ambiguous' || m.status === 'unknown' || /ambiguous/.test(m.reason ?? '') || /ambiguous/.test(m.error_code ?? '');
}

/** …and says so without claiming an outcome: a `failed` status says it did not go, which nobody knows. */
function honestlyAmbiguous(m: MessageRow): boolean {
  return ambiguousHandoff(m) && m.status !== 'failed';
}

export async function measure(sql: Pool, ws: CampaignWorkspace, calls: CarrierCall[], traffic: Traffic, settleSeconds: number): Promise<Row> {
  const details: string[] = [];
  const messages = (
    await sql.query<MessageRow>(
      `SELECT id, contact_id, type, status, reason, error_code, handed_off_at, origin->>'systemKind' AS system_kind
         FROM message WHERE workspace_id = $1 AND direction = 'outbound'`,
      [ws.id],
    )
  ).rows;
  const byId = new Map(messages.map((m) => [m.id, m]));
  const inboundIds = new Set(
    (await sql.query<{ key: string }>(`SELECT idempotency_key AS key FROM message WHERE workspace_id = $1 AND direction = 'inbound'`, [ws.id])).rows.map((r) => r.key.replace(/^inbound:http:/, '')),
  );
  const optOuts = new Map(
    (
      await sql.query<{ contact_id: string; recorded_at: Date }>(
        `SELECT contact_id, min(recorded_at) AS recorded_at FROM consent_event
          WHERE workspace_id = $1 AND kind = 'consent' AND state = 'opted_out' AND contact_id IS NOT NULL GROUP BY contact_id`,
        [ws.id],
      )
    ).rows.map((r) => [r.contact_id, new Date(r.recorded_at).getTime()]),
  );

  // Who should get the campaign: every recipient who did not try to opt out during the run.
  const stopped = new Set(traffic.stops.map((s) => ws.contacts.get(s.phone)!));
  const ackedStop = new Map<string, number>();
  for (const s of traffic.stops) {
    const contact = ws.contacts.get(s.phone)!;
    if (s.result.answeredAt !== null) ackedStop.set(contact, Math.min(ackedStop.get(contact) ?? Infinity, s.result.answeredAt));
  }

  const unknownCalls = calls.filter((c) => !byId.has(c.messageId));
  if (unknownCalls.length > 0) details.push(`${unknownCalls.length} carrier calls name no message row of the workspace (e.g. ${unknownCalls[0].messageId})`);
  const callsByMessage = new Map<string, CarrierCall[]>();
  for (const c of calls) callsByMessage.set(c.messageId, [...(callsByMessage.get(c.messageId) ?? []), c]);

  // doubled: a campaign text to a person more than once (by person, whatever the message ids),
  // a STOP confirmation more than once per person, any other message handed over twice.
  const perKey = new Map<string, number>();
  for (const c of calls) {
    const m = byId.get(c.messageId);
    const key = !m ? `unknown:${c.messageId}` : m.type === 'marketing' ? `campaign:${m.contact_id}` : m.system_kind === 'stop_confirmation' ? `stop-confirmation:${m.contact_id}` : `message:${m.id}`;
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  let doubled = 0;
  for (const [key, n] of perKey)
    if (n > 1) {
      doubled += n - 1;
      if (doubled <= 5) details.push(`doubled: ${key} reached the carrier ${n} times`);
    }

  // lost: a recipient who should have had the campaign and the carrier never saw it, unless the
  // hub says the hand-off is ambiguous (killed between claim and answer: law 4's price, counted
  // under ambiguous; whether it was recorded honestly is the misrecorded column's business).
  const campaignByContact = new Map<string, MessageRow[]>();
  for (const m of messages) if (m.type === 'marketing' && m.contact_id) campaignByContact.set(m.contact_id, [...(campaignByContact.get(m.contact_id) ?? []), m]);
  let lost = 0;
  let delivered = 0;
  const lostStatuses = new Map<string, number>();
  for (const contactId of ws.contacts.values()) {
    const rows = campaignByContact.get(contactId) ?? [];
    const got = rows.some((m) => callsByMessage.has(m.id));
    if (got) delivered++;
    if (stopped.has(contactId) || got) continue;
    if (rows.some(ambiguousHandoff)) continue; // counted under ambiguous, not sent
    lost++;
    const what = rows.length === 0 ? 'no message row' : rows.map((m) => `${m.status}${m.reason ? `/${m.reason}` : ''}`).join('+');
    lostStatuses.set(what, (lostStatuses.get(what) ?? 0) + 1);
  }
  if (lost > 0) details.push(`lost recipients by their message rows: ${[...lostStatuses].map(([k, v]) => `${k} × ${v}`).join(', ')}`);
  // Inbound: a webhook answered 2xx must have been stored (law 7).
  const inboundLost = [...traffic.chatter, ...traffic.stops].filter((t) => t.result.ok && !inboundIds.has(t.id)).length;
  if (inboundLost > 0) details.push(`${inboundLost} inbound texts answered 2xx were not stored`);
  lost += inboundLost;

  // texts after opt-out: a campaign text that reached the carrier after the opt-out was recorded
  // and answered, unless the hub had claimed it before the opt-out was recorded (in flight).
  let afterOptOut = 0;
  let inFlightAtStop = 0;
  for (const c of calls) {
    const m = byId.get(c.messageId);
    if (!m || m.type !== 'marketing' || !m.contact_id) continue;
    const recorded = optOuts.get(m.contact_id);
    const threshold = ackedStop.get(m.contact_id) ?? recorded;
    if (threshold === undefined || c.at <= threshold) continue;
    if (recorded !== undefined && m.handed_off_at && new Date(m.handed_off_at).getTime() < recorded) {
      inFlightAtStop++;
      continue;
    }
    afterOptOut++;
    if (afterOptOut <= 5)
      details.push(
        `after opt-out: message ${m.id} reached the carrier ${c.at - threshold} ms after the opt-out (claimed ${m.handed_off_at ? new Date(m.handed_off_at).getTime() - (recorded ?? threshold) : '?'} ms after it was recorded), now ${m.status}`,
      );
  }

  // misrecorded: the row's final word against the carrier's log.
  let misrecorded = unknownCalls.length;
  let ambiguous = 0;
  let ambiguousNotDelivered = 0;
  const wrong = new Map<string, number>();
  for (const m of messages) {
    const got = callsByMessage.has(m.id);
    if (ambiguousHandoff(m)) {
      ambiguous++;
      if (!got) ambiguousNotDelivered++;
    }
    const bad = got ? !HANDED.has(m.status) && !honestlyAmbiguous(m) : HANDED.has(m.status);
    if (bad) {
      misrecorded++;
      const what = `${got ? 'carrier got it' : 'carrier never got it'}, recorded ${m.status}${m.reason ? `/${m.reason}` : ''}`;
      wrong.set(what, (wrong.get(what) ?? 0) + 1);
    }
  }
  if (wrong.size > 0) details.push(`misrecorded: ${[...wrong].map(([k, v]) => `${k} × ${v}`).join(', ')}`);

  const rate = slidingSecond(
    calls.map((c) => c.at),
    ws.rate,
  );
  const atClaim = slidingSecond(
    calls.map((c) => byId.get(c.messageId)?.handed_off_at).filter((t): t is Date => !!t).map((t) => new Date(t).getTime()),
    ws.rate,
  );
  const delays = calls.flatMap((c) => {
    const t = byId.get(c.messageId)?.handed_off_at;
    return t ? [c.at - new Date(t).getTime()] : [];
  });
  if (rate.violations > 0)
    details.push(
      `rate: busiest second held ${rate.peak} carrier calls against ${ws.rate}/s (+${rateTolerance(ws.rate)} tolerance); by hand-off time ${atClaim.peak} (${atClaim.violations} over); hand-off → carrier p50 ${percentile(delays, 50)} ms, p99 ${percentile(delays, 99)} ms, max ${percentile(delays, 100)} ms`,
    );
  const stopLatencies = traffic.stops.filter((s) => s.result.answeredAt !== null).map((s) => s.result.answeredAt! - s.result.startedAt);
  const answered = [...traffic.chatter, ...traffic.stops].filter((t) => t.result.answeredAt !== null).map((t) => t.result.answeredAt! - t.result.startedAt);
  const retried = [...traffic.chatter, ...traffic.stops].filter((t) => t.result.attempts > 1).length;
  details.push(`inbound webhooks: ${answered.length} answered 2xx, p50 ${percentile(answered, 50)} ms, p99 ${percentile(answered, 99)} ms; ${retried} needed a retry`);
  const failedWebhooks = [...traffic.chatter, ...traffic.stops].filter((t) => !t.result.ok);
  if (failedWebhooks.length > 0) details.push(`${failedWebhooks.length} inbound webhooks never answered 2xx after their retries (last status ${failedWebhooks[0].result.status})`);
  return {
    scenario: ws.label,
    recipients: ws.contacts.size,
    delivered,
    lost,
    doubled,
    afterOptOut,
    rateViolations: rate.violations,
    misrecorded,
    ambiguous,
    ambiguousNotDelivered,
    inFlightAtStop,
    peakPerSecond: rate.peak,
    peakPerSecondAtClaim: atClaim.peak,
    rate: ws.rate,
    stopP50Ms: percentile(stopLatencies, 50),
    stopP99Ms: percentile(stopLatencies, 99),
    stops: traffic.stops.length,
    inbound: traffic.chatter.length + traffic.stops.length,
    settleSeconds,
    details,
  };
}

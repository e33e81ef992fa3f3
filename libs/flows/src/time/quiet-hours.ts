import { DateTime } from 'luxon';

export interface QuietHoursWindow {
  /** "HH:MM" local start of the allowed window. */
  start: string;
  /** "HH:MM" local end (exclusive). */
  end: string;
  exemptTransactional: boolean;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * The first instant at or after `at` inside the workspace's sending window in `zone` — the
 * send time a deferral by quiet hours produces. `system` messages (keyword replies, opt-in
 * requests) and, when the workspace says so, transactional ones are never held.
 */
export function nextAllowedInstant(at: Date, type: string, zone: string, window: QuietHoursWindow): Date {
  if (type === 'system' || (type === 'transactional' && window.exemptTransactional)) return at;
  const local = DateTime.fromJSDate(at, { zone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const inside = start <= end ? minute >= start && minute < end : minute >= start || minute < end;
  if (inside) return at;
  const startToday = local.set({ hour: Math.floor(start / 60), minute: start % 60, second: 0, millisecond: 0 });
  const next = startToday > local ? startToday : startToday.plus({ days: 1 });
  return next.toJSDate();
}

/** As `nextAllowedInstant`, when every candidate zone of the number must be inside the window. */
export function nextAllowedInstantInZones(at: Date, type: string, zones: string[], window: QuietHoursWindow): Date {
  let candidate = at;
  for (let i = 0; i < 8; i++) {
    const next = new Date(Math.max(...zones.map((zone) => nextAllowedInstant(candidate, type, zone, window).getTime())));
    if (next.getTime() === candidate.getTime()) return candidate;
    candidate = next;
  }
  return candidate;
}

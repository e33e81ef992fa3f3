import { DateTime } from 'luxon';

/** Local hour from which a date counts as reached, so the day's text goes out at a friendly time. */
export const DATE_REACHED_LOCAL_HOUR = 9;

export interface ReachedDate {
  /** The local year in which the date was reached (part of the once-a-year dedupe key). */
  year: number;
  /** Whole years since the stored date, when it has a year (age, years as a customer). */
  years: number | null;
  /** The local calendar day, YYYY-MM-DD. */
  day: string;
}

/** Reads `YYYY-MM-DD`, an ISO date-time, `MM-DD` or `--MM-DD`. */
export function parseDatedAttribute(value: unknown): { year: number | null; month: number; day: number } | null {
  if (typeof value !== 'string') return null;
  const full = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (full) return valid(Number(full[1]), Number(full[2]), Number(full[3]));
  const monthDay = /^(?:--)?(\d{2})-(\d{2})$/.exec(value.trim());
  if (monthDay) return valid(null, Number(monthDay[1]), Number(monthDay[2]));
  return null;
}

function valid(year: number | null, month: number, day: number) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year, month, day };
}

/**
 * Whether a dated attribute (birthday, anniversary) falls on the contact's local today and the
 * local time is past DATE_REACHED_LOCAL_HOUR. A 29 February is celebrated on the 28th in
 * common years.
 */
export function dateReached(value: unknown, now: Date, zone: string, fromHour = DATE_REACHED_LOCAL_HOUR): ReachedDate | null {
  const parsed = parseDatedAttribute(value);
  if (!parsed) return null;
  const local = DateTime.fromJSDate(now, { zone });
  if (!local.isValid || local.hour < fromHour) return null;
  const leapDayInCommonYear = parsed.month === 2 && parsed.day === 29 && !local.isInLeapYear;
  const day = leapDayInCommonYear ? 28 : parsed.day;
  if (local.month !== parsed.month || local.day !== day) return null;
  return { year: local.year, years: parsed.year !== null ? local.year - parsed.year : null, day: local.toISODate()! };
}

/** Whether a customer whose last order was at `lastOrderAt` is lapsed after `days` days. */
export function lapsedSince(lastOrderAt: unknown, now: Date, days: number): { lastOrderAt: string; daysSince: number } | null {
  if (typeof lastOrderAt !== 'string') return null;
  const last = DateTime.fromISO(lastOrderAt, { setZone: true });
  if (!last.isValid) return null;
  const daysSince = Math.floor((now.getTime() - last.toMillis()) / 86_400_000);
  return daysSince >= days ? { lastOrderAt: last.toUTC().toISO()!, daysSince } : null;
}

import { DateTime } from 'luxon';
import type { CampaignSchedule } from './campaign.entity';

/** The furthest-ahead zone (Line Islands, UTC+14): where a local wall-clock time comes first. */
const EARLIEST_ZONE = 'Pacific/Kiritimati';
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** Whether a `YYYY-MM-DDTHH:mm` wall-clock time is well formed and exists as a calendar time. */
export function isLocalTime(value: string): boolean {
  return LOCAL_TIME.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** The instant a wall-clock time happens in a zone (a time skipped by DST moves forward). */
export function localInstant(localTime: string, zone: string): Date {
  const at = DateTime.fromISO(localTime, { zone });
  return (at.isValid ? at : DateTime.fromISO(localTime, { zone: 'UTC' })).toJSDate();
}

/**
 * When a campaign's resolution starts: now, the given instant, or — for a local-time campaign —
 * the moment the first zone on Earth reaches that wall-clock time; each message then waits for
 * its own zone (notBefore).
 */
export function resolutionStart(schedule: CampaignSchedule, now: Date): Date {
  if (schedule.mode === 'at') return new Date(schedule.at);
  if (schedule.mode === 'local') {
    const first = localInstant(schedule.localTime, EARLIEST_ZONE);
    return first > now ? first : now;
  }
  return now;
}

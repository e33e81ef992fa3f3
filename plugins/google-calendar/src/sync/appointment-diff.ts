import type { SeenEvent } from './calendar-event.mapper';

/** What Optline last announced about an event (a row of google_calendar_appointment). */
export interface RememberedAppointment {
  eventId: string;
  state: 'booked' | 'cancelled';
  startsAt: Date;
  endsAt: Date | null;
  contactId: string | null;
  etag: string | null;
}

/**
 * What to do with one event seen in a listing:
 * - `book`: announce `appointment.booked` (if a client can be found for it);
 * - `reschedule`: announce `appointment.rescheduled` (its start moved);
 * - `cancel`: announce `appointment.cancelled`;
 * - `refresh`: remember the new version without announcing anything (an edit that is not a move,
 *   or a change to an appointment that is already over);
 * - `none`: nothing to announce or remember.
 */
export type Decision = { kind: 'book' } | { kind: 'reschedule'; previousStartsAt: Date } | { kind: 'cancel' } | { kind: 'refresh' } | { kind: 'none' };

export interface DiffWindow {
  now: Date;
  /** Appointments starting later than this are not announced yet (the horizon). */
  horizonEnd: Date;
}

/**
 * Compares one event with what was announced for it. Only appointments that have not started
 * yet produce announcements: texting about a past appointment (created late, cleaned up
 * afterwards) would only confuse the client.
 */
export function decide(previous: RememberedAppointment | undefined, seen: SeenEvent, { now, horizonEnd }: DiffWindow): Decision {
  const booked = previous?.state === 'booked';
  if (seen.cancelled) {
    if (!booked) return { kind: 'none' };
    return previous.startsAt > now ? { kind: 'cancel' } : { kind: 'refresh' };
  }
  // An all-day entry (holiday, "office closed") is not an appointment. If a booked appointment
  // turns into one, it keeps its last announced time until it changes again.
  if (!seen.startsAt) return { kind: 'none' };
  if (booked) {
    if (seen.startsAt.getTime() === previous.startsAt.getTime()) return seen.etag !== previous.etag ? { kind: 'refresh' } : { kind: 'none' };
    if (seen.startsAt > now || previous.startsAt > now) return { kind: 'reschedule', previousStartsAt: previous.startsAt };
    return { kind: 'refresh' };
  }
  if (seen.startsAt > now && seen.startsAt <= horizonEnd) return { kind: 'book' };
  return { kind: 'none' };
}

/**
 * After a full listing of [now, horizonEnd]: announced, upcoming appointments that the listing no
 * longer contains were deleted while nobody was listening (a 410, missed notifications). They are
 * cancelled. Appointments moved beyond the listed window are not in it either and are left alone.
 */
export function vanished(remembered: RememberedAppointment[], seenIds: Set<string>, { now, horizonEnd }: DiffWindow): RememberedAppointment[] {
  return remembered.filter((r) => r.state === 'booked' && r.startsAt > now && r.startsAt < horizonEnd && !seenIds.has(r.eventId));
}

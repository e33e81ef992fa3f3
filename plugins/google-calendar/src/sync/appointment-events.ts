import type { CanonicalContactHint, CanonicalEvent } from '@optline/plugin-sdk';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';

export type AppointmentEventType = 'appointment.booked' | 'appointment.rescheduled' | 'appointment.cancelled' | 'appointment.completed';

export const APPOINTMENT_EVENT_TYPES: readonly AppointmentEventType[] = ['appointment.booked', 'appointment.rescheduled', 'appointment.cancelled', 'appointment.completed'];

/** One announcement, before it becomes a canonical event. */
export interface Announcement {
  type: AppointmentEventType;
  calendarId: string;
  eventId: string;
  /** The version announced (Google's etag); with the type it makes the dedupe key. */
  version: string;
  occurredAt: Date;
  startsAt: Date;
  endsAt: Date | null;
  previousStartsAt?: Date;
  summary?: string | null;
  location?: string | null;
  recurringEventId?: string | null;
  /** The client's own zone when the event says so explicitly. */
  attendeeTimeZone: string | null;
  businessTimeZone: string;
  /** Found by the calendar's first sync (booked before the installation was enabled). */
  preexisting?: boolean;
  contact: CanonicalContactHint | null;
}

const MAX_KEY = 400;

/**
 * Unique per event version and kind: a notification redelivered, two notifications racing, or a
 * full resync after a 410 all derive the same key for the same change, so the store keeps one.
 */
export function dedupeKeyOf(a: Pick<Announcement, 'calendarId' | 'eventId' | 'version' | 'type'>): string {
  const key = `${a.calendarId}:${a.eventId}:${a.version}:${a.type.slice('appointment.'.length)}`;
  return key.length <= MAX_KEY ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function local(at: Date, zone: string): DateTime {
  return DateTime.fromJSDate(at, { zone }).setLocale('en-US');
}

/**
 * The canonical event for flows. `data` carries instants in UTC (`startsAt`, for waits such as
 * `event.startsAt - PT24H`) and ready-made local renderings in the client's zone (or the
 * business's), because templates should not have to do time-zone arithmetic.
 */
export function toCanonicalEvent(a: Announcement): CanonicalEvent {
  const zone = a.attendeeTimeZone ?? a.businessTimeZone;
  const start = local(a.startsAt, zone);
  const data: Record<string, unknown> = {
    appointmentId: a.eventId,
    calendarId: a.calendarId,
    status: a.type.slice('appointment.'.length),
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt ? a.endsAt.toISOString() : null,
    startsAtLocal: start.toISO(),
    startsAtDate: start.toFormat('cccc, LLLL d'),
    startsAtTime: start.toFormat('h:mm a'),
    timeZone: zone,
    businessTimeZone: a.businessTimeZone,
    attendeeTimeZone: a.attendeeTimeZone,
  };
  if (a.summary !== undefined) data.summary = a.summary;
  if (a.location !== undefined) data.location = a.location;
  if (a.recurringEventId) data.recurringEventId = a.recurringEventId;
  if (a.previousStartsAt) data.previousStartsAt = a.previousStartsAt.toISOString();
  if (a.type === 'appointment.booked') data.preexisting = a.preexisting === true;
  return {
    type: a.type,
    dedupeKey: dedupeKeyOf(a),
    occurredAt: a.occurredAt,
    ...(a.contact && { contact: a.contact }),
    correlation: { appointmentId: a.eventId },
    data,
  };
}

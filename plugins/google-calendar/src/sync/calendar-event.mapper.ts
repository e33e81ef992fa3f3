import { isIanaZone } from '@optline/core';
import type { GoogleEvent } from '../client/calendar-api';

/** The parts of a Google Calendar event that matter for an appointment. */
export interface SeenEvent {
  eventId: string;
  etag: string | null;
  /** When the event last changed at Google (absent on cancelled stubs). */
  updatedAt: Date | null;
  /** Cancelled or deleted (incremental syncs report deleted events as `status: cancelled`). */
  cancelled: boolean;
  /** Null for all-day events (they have a date, no time) and for cancelled stubs. */
  startsAt: Date | null;
  endsAt: Date | null;
  summary: string | null;
  location: string | null;
  description: string | null;
  /** The guest who is the client: not the organizer, not the calendar itself, not a room. */
  attendee: { email: string; displayName: string | null } | null;
  /** Private extended properties (written by booking tools, invisible to guests). */
  privateProperties: Record<string, string>;
  /** Set for an instance of a recurring event. */
  recurringEventId: string | null;
}

function instant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Reads an event as Google sends it (full resource, or a cancelled stub with only id and status). */
export function toSeenEvent(event: GoogleEvent): SeenEvent | null {
  if (!event.id) return null;
  const attendee = (event.attendees ?? []).find((a) => a.email && !a.organizer && !a.self && !a.resource);
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.extendedProperties?.private ?? {})) if (typeof value === 'string') properties[key] = value;
  return {
    eventId: event.id,
    etag: event.etag ?? null,
    updatedAt: instant(event.updated),
    cancelled: event.status === 'cancelled',
    startsAt: instant(event.start?.dateTime),
    endsAt: instant(event.end?.dateTime),
    summary: event.summary ?? null,
    location: event.location ?? null,
    description: event.description ?? null,
    attendee: attendee?.email ? { email: attendee.email.toLowerCase(), displayName: attendee.displayName ?? null } : null,
    privateProperties: properties,
    recurringEventId: event.recurringEventId ?? null,
  };
}

/** An explicit IANA zone stored on the event by a booking tool, if valid. */
export function explicitTimeZone(event: SeenEvent, property: string): string | null {
  const value = event.privateProperties[property]?.trim();
  return value && isIanaZone(value) ? value : null;
}

/** "Dana Kim" → Dana / Kim; a single word is a first name. */
export function splitDisplayName(displayName: string | null): { firstName: string | null; lastName: string | null } {
  const parts = (displayName ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { firstName: null, lastName: null };
  return { firstName: parts[0], lastName: parts.length > 1 ? parts.slice(1).join(' ') : null };
}

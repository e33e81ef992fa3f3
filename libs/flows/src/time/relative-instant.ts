import { DateTime } from 'luxon';
import { MAX_FLOW_DURATION_MS, parseIsoDuration } from './iso-duration';

/**
 * "Until" expressions of wait steps: a date field of the run's event, optionally shifted by an
 * ISO-8601 duration — `event.startsAt - PT24H`, `trigger.startsAt - PT1H`, `event.shipsAt`.
 * `trigger.` and `event.` both name the run's event data (the event that started the run, or
 * the latest one that updated it).
 */
const EXPRESSION = /^\s*(event|trigger)\.([A-Za-z_][\w.]*)\s*(?:([+-])\s*(P[0-9A-Z.]+))?\s*$/;

export interface RelativeInstant {
  /** Path inside the event data, e.g. `startsAt` or `appointment.start`. */
  path: string;
  sign: 1 | -1;
  offset: string | null;
}

export function parseRelativeInstant(expression: string): RelativeInstant | null {
  if (typeof expression !== 'string') return null;
  const match = EXPRESSION.exec(expression);
  if (!match) return null;
  const [, , path, sign, offset] = match;
  // The offset is bounded like every flow duration (at most MAX_FLOW_DURATION).
  if (offset !== undefined) {
    const duration = parseIsoDuration(offset);
    if (duration === null || Math.abs(duration.toMillis()) > MAX_FLOW_DURATION_MS) return null;
  }
  return { path, sign: sign === '-' ? -1 : 1, offset: offset ?? null };
}

export function readPath(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A date field as an instant: ISO strings (with an offset or Z), epoch milliseconds or Dates. */
export function toInstant(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = DateTime.fromISO(value.trim(), { setZone: true });
    return parsed.isValid ? parsed.toJSDate() : null;
  }
  return null;
}

/**
 * Resolves an expression against event data. Returns null when the field is missing or not a
 * date, so the caller can record why the wait could not be computed.
 */
export function resolveRelativeInstant(expression: string, eventData: Record<string, unknown>, zone = 'UTC'): Date | null {
  const parsed = parseRelativeInstant(expression);
  if (!parsed) return null;
  const base = toInstant(readPath(eventData, parsed.path));
  if (!base) return null;
  if (!parsed.offset) return base;
  const offset = parseIsoDuration(parsed.offset)!;
  const start = DateTime.fromJSDate(base, { zone });
  const shifted = parsed.sign === 1 ? start.plus(offset) : start.minus(offset);
  return shifted.toJSDate();
}

/** Adds a duration in a zone (calendar units follow wall-clock time across DST). */
export function addDuration(from: Date, duration: string, zone = 'UTC'): Date {
  const parsed = parseIsoDuration(duration);
  if (!parsed) throw new Error(`not an ISO-8601 duration: ${duration}`);
  return DateTime.fromJSDate(from, { zone }).plus(parsed).toJSDate();
}

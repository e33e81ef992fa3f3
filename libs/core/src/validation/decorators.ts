import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { isIanaZone } from './time-zones';

/** An IANA time zone such as "America/Chicago". */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an IANA time zone such as America/Chicago', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isIanaZone(value) },
    });
}

/** A phone number already in E.164 form ("+14155550100"). */
export function IsE164Phone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isE164Phone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a phone number in E.164 form, e.g. +14155550100', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\+[1-9]\d{6,14}$/.test(value) && isValidPhoneNumber(value),
      },
    });
}

/** A local time of day, "HH:MM" on a 24-hour clock. */
export function IsTimeOfDay(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeOfDay',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a time of day as HH:MM (24 h)', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value) },
    });
}

/** The earliest and latest instants a request may name: before 2000 or more than 10 years ahead is a mistake. */
export const EARLIEST_ACCEPTED_DATE = new Date('2000-01-01T00:00:00Z');
export const MAX_YEARS_AHEAD = 10;

/** Whether `value` (a Date or an ISO-8601 string) lies between 2000-01-01 and 10 years from now. */
export function isDateInAcceptedRange(value: unknown, nowMs: number = Date.now()): boolean {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return false;
  const latest = new Date(nowMs);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  return date.getTime() >= EARLIEST_ACCEPTED_DATE.getTime() && date.getTime() <= latest.getTime();
}

/**
 * A date between 2000-01-01 and 10 years ahead. JavaScript reads dates up to the year 275760,
 * Postgres refuses some of them and the send path would defer a message for centuries; a date
 * outside the window is a client's mistake (docs/decisions/0152).
 */
export function IsDateInAcceptedRange(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDateInAcceptedRange',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be a date between 2000-01-01 and ${MAX_YEARS_AHEAD} years from now`, ...options },
      // A value that is not a date at all is left to @IsDate / @IsISO8601, which say so.
      validator: { validate: (value: unknown) => value === undefined || value === null || !isValidInstant(value) || isDateInAcceptedRange(value) },
    });
}

function isValidInstant(value: unknown): boolean {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return date !== null && !Number.isNaN(date.getTime());
}

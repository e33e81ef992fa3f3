import { Duration } from 'luxon';

/**
 * ISO-8601 durations (`PT1H`, `P1D`, `P1DT12H`). Calendar units (days, months) are applied in a
 * time zone by `addDuration`, so "P1D" across a DST change is the same wall-clock time next day.
 */
export function parseIsoDuration(value: string): Duration | null {
  if (typeof value !== 'string' || !value.startsWith('P')) return null;
  const duration = Duration.fromISO(value);
  if (!duration.isValid) return null;
  return duration;
}

/** A duration that is valid and strictly positive. */
export function isPositiveDuration(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const duration = parseIsoDuration(value);
  return duration !== null && duration.toMillis() > 0;
}

export function durationMillis(value: string): number {
  const duration = parseIsoDuration(value);
  if (!duration) throw new Error(`not an ISO-8601 duration: ${value}`);
  return duration.toMillis();
}

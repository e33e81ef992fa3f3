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

/**
 * The longest wait, timeout or cooldown a flow may hold. A duration beyond it (`P99999999999Y`)
 * parsed, the flow activated, then every run failed computing a date past the year 275760;
 * no automation waits more than two years (docs/decisions/0152).
 */
export const MAX_FLOW_DURATION = 'P2Y';
export const MAX_FLOW_DURATION_MS = Duration.fromISO(MAX_FLOW_DURATION).toMillis();

/** A duration that is valid, strictly positive and at most MAX_FLOW_DURATION. */
export function isPositiveDuration(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const duration = parseIsoDuration(value);
  if (duration === null) return false;
  const millis = duration.toMillis();
  return millis > 0 && millis <= MAX_FLOW_DURATION_MS;
}

export function durationMillis(value: string): number {
  const duration = parseIsoDuration(value);
  if (!duration) throw new Error(`not an ISO-8601 duration: ${value}`);
  return duration.toMillis();
}

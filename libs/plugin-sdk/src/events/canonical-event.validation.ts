import { ErrorDetail } from '@optline/core';
import { CanonicalEvent, isCanonicalEventType } from '../contract/canonical-events';

export const MAX_DEDUPE_KEY_LENGTH = 512;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks what a plugin (or the hub) hands to the store. Plugins are our code, but their output
 * depends on vendors' payloads, so a bad event is a clear 422 rather than a broken row.
 */
export function checkCanonicalEvents(events: CanonicalEvent[], allowedTypes?: readonly string[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  events.forEach((event, i) => {
    const at = (field: string) => `events[${i}].${field}`;
    if (!isCanonicalEventType(event.type)) problems.push({ field: at('type'), message: `"${String(event.type)}" is not a canonical event type` });
    else if (allowedTypes && !allowedTypes.includes(event.type)) problems.push({ field: at('type'), message: `this plugin does not declare "${event.type}" in emits` });
    if (typeof event.dedupeKey !== 'string' || event.dedupeKey.length === 0 || event.dedupeKey.length > MAX_DEDUPE_KEY_LENGTH) {
      problems.push({ field: at('dedupeKey'), message: `dedupeKey must be a non-empty string of at most ${MAX_DEDUPE_KEY_LENGTH} characters` });
    }
    if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime())) problems.push({ field: at('occurredAt'), message: 'occurredAt must be a valid Date' });
    if (!isPlainObject(event.correlation) || Object.values(event.correlation).some((v) => typeof v !== 'string')) {
      problems.push({ field: at('correlation'), message: 'correlation must be an object of strings' });
    }
    if (!isPlainObject(event.data)) problems.push({ field: at('data'), message: 'data must be an object' });
    if (event.consent && (!Array.isArray(event.consent.types) || event.consent.types.length === 0)) {
      problems.push({ field: at('consent.types'), message: 'consent.types must list at least one message type' });
    }
  });
  return problems;
}

import { addDuration, parseRelativeInstant, resolveRelativeInstant } from './relative-instant';
import { isPositiveDuration } from './iso-duration';
import { earliestSendInstant } from '@optline/messaging';

const nextAllowedInstant = (at: Date, type: string, zone: string, window: { start: string; end: string; exemptTransactional: boolean }) =>
  earliestSendInstant(at, type, [zone], window, null)!;

describe('flow time math', () => {
  it('accepts ISO-8601 durations and refuses the rest', () => {
    expect(['PT1H', 'P1D', 'P1DT12H', 'PT90M', 'P2W'].map(isPositiveDuration)).toEqual([true, true, true, true, true]);
    expect(['1h', 'PT0S', '', 'P', 'PT-1H', 42].map(isPositiveDuration)).toEqual([false, false, false, false, false, false]);
  });

  it('resolves an instant relative to an event field', () => {
    const event = { startsAt: '2026-03-12T15:30:00-05:00', nested: { at: '2026-03-12T20:30:00Z' } };
    expect(resolveRelativeInstant('event.startsAt - PT24H', event)?.toISOString()).toBe('2026-03-11T20:30:00.000Z');
    expect(resolveRelativeInstant('trigger.startsAt - PT1H', event)?.toISOString()).toBe('2026-03-12T19:30:00.000Z');
    expect(resolveRelativeInstant('event.nested.at + PT2H', event)?.toISOString()).toBe('2026-03-12T22:30:00.000Z');
    expect(resolveRelativeInstant('event.startsAt', event)?.toISOString()).toBe('2026-03-12T20:30:00.000Z');
    expect(resolveRelativeInstant('event.missing - PT1H', event)).toBeNull();
    expect(parseRelativeInstant('contact.birthday - P1D')).toBeNull();
    expect(parseRelativeInstant('event.startsAt - 1 day')).toBeNull();
  });

  it('adds calendar durations in the recipient zone across a DST change', () => {
    // 2026-03-08 is the US spring-forward day: P1D keeps 10:00 local, PT24H does not.
    const from = new Date('2026-03-07T16:00:00Z'); // 10:00 in Chicago (CST)
    expect(addDuration(from, 'P1D', 'America/Chicago').toISOString()).toBe('2026-03-08T15:00:00.000Z');
    expect(addDuration(from, 'PT24H', 'America/Chicago').toISOString()).toBe('2026-03-08T16:00:00.000Z');
  });

  it('defers a marketing message to the start of the next sending window', () => {
    const window = { start: '08:00', end: '21:00', exemptTransactional: true };
    const late = new Date('2026-03-10T03:30:00Z'); // 22:30 in Chicago the evening before
    expect(nextAllowedInstant(late, 'marketing', 'America/Chicago', window).toISOString()).toBe('2026-03-10T13:00:00.000Z');
    const early = new Date('2026-03-10T11:00:00Z'); // 06:00 Chicago
    expect(nextAllowedInstant(early, 'marketing', 'America/Chicago', window).toISOString()).toBe('2026-03-10T13:00:00.000Z');
    const inside = new Date('2026-03-10T15:00:00Z');
    expect(nextAllowedInstant(inside, 'marketing', 'America/Chicago', window)).toEqual(inside);
    expect(nextAllowedInstant(late, 'transactional', 'America/Chicago', window)).toEqual(late);
    expect(nextAllowedInstant(late, 'transactional', 'America/Chicago', { ...window, exemptTransactional: false }).toISOString()).toBe('2026-03-10T13:00:00.000Z');
  });
});

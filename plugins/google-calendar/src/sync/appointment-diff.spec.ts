import { decide, RememberedAppointment, vanished } from './appointment-diff';
import type { SeenEvent } from './calendar-event.mapper';

const now = new Date('2026-11-22T15:00:00Z');
const horizonEnd = new Date('2027-02-20T15:00:00Z');
const window = { now, horizonEnd };

const seen = (over: Partial<SeenEvent> = {}): SeenEvent => ({
  eventId: 'e1',
  etag: '"2"',
  updatedAt: now,
  cancelled: false,
  startsAt: new Date('2026-11-25T15:00:00Z'),
  endsAt: new Date('2026-11-25T16:00:00Z'),
  summary: 'Cleaning',
  location: null,
  description: null,
  attendee: null,
  privateProperties: {},
  recurringEventId: null,
  ...over,
});

const booked = (over: Partial<RememberedAppointment> = {}): RememberedAppointment => ({
  eventId: 'e1',
  state: 'booked',
  startsAt: new Date('2026-11-25T15:00:00Z'),
  endsAt: new Date('2026-11-25T16:00:00Z'),
  contactId: 'c1',
  etag: '"1"',
  ...over,
});

describe('decide', () => {
  it('books an upcoming appointment seen for the first time, within the horizon only', () => {
    expect(decide(undefined, seen(), window)).toEqual({ kind: 'book' });
    expect(decide(undefined, seen({ startsAt: new Date('2027-03-01T10:00:00Z') }), window)).toEqual({ kind: 'none' });
  });

  it('announces nothing for past events, all-day entries, or cancellations of unknown events', () => {
    expect(decide(undefined, seen({ startsAt: new Date('2026-11-22T14:00:00Z') }), window)).toEqual({ kind: 'none' });
    expect(decide(undefined, seen({ startsAt: null, endsAt: null }), window)).toEqual({ kind: 'none' });
    expect(decide(undefined, seen({ cancelled: true, startsAt: null }), window)).toEqual({ kind: 'none' });
  });

  it('reschedules when the start moved, and only refreshes other edits', () => {
    expect(decide(booked(), seen({ startsAt: new Date('2026-11-25T19:00:00Z') }), window)).toEqual({
      kind: 'reschedule',
      previousStartsAt: new Date('2026-11-25T15:00:00Z'),
    });
    expect(decide(booked(), seen({ summary: 'Deep cleaning' }), window)).toEqual({ kind: 'refresh' });
    expect(decide(booked({ etag: '"2"' }), seen(), window)).toEqual({ kind: 'none' });
  });

  it('reschedules a future appointment moved into the past, but not a past one moved within the past', () => {
    expect(decide(booked(), seen({ startsAt: new Date('2026-11-22T14:30:00Z') }), window).kind).toBe('reschedule');
    const past = booked({ startsAt: new Date('2026-11-20T10:00:00Z') });
    expect(decide(past, seen({ startsAt: new Date('2026-11-21T10:00:00Z') }), window)).toEqual({ kind: 'refresh' });
  });

  it('cancels an upcoming booked appointment; a cancelled one comes back as a new booking', () => {
    expect(decide(booked(), seen({ cancelled: true, startsAt: null }), window)).toEqual({ kind: 'cancel' });
    expect(decide(booked({ startsAt: new Date('2026-11-21T10:00:00Z') }), seen({ cancelled: true }), window)).toEqual({ kind: 'refresh' });
    expect(decide(booked({ state: 'cancelled' }), seen(), window)).toEqual({ kind: 'book' });
    expect(decide(booked({ state: 'cancelled' }), seen({ cancelled: true }), window)).toEqual({ kind: 'none' });
  });
});

describe('vanished', () => {
  it('finds booked upcoming appointments missing from a full listing, within the listed window', () => {
    const rows = [
      booked({ eventId: 'kept' }),
      booked({ eventId: 'gone' }),
      booked({ eventId: 'past', startsAt: new Date('2026-11-21T10:00:00Z') }),
      booked({ eventId: 'was-cancelled', state: 'cancelled' }),
      booked({ eventId: 'beyond', startsAt: new Date('2027-03-01T10:00:00Z') }),
    ];
    expect(vanished(rows, new Set(['kept']), window).map((r) => r.eventId)).toEqual(['gone']);
  });
});

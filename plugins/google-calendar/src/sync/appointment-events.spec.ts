import { dedupeKeyOf, toCanonicalEvent } from './appointment-events';

describe('appointment events', () => {
  const base = {
    calendarId: 'bookings@acme-dental.example',
    eventId: '7kq1appt0001',
    version: '"33810"',
    occurredAt: new Date('2026-11-20T15:00:00Z'),
    startsAt: new Date('2026-11-25T15:00:00Z'),
    endsAt: new Date('2026-11-25T16:00:00Z'),
    summary: 'Cleaning - Dana Kim',
    location: 'Acme Dental, 10 W 33rd St, New York',
    attendeeTimeZone: null,
    businessTimeZone: 'America/New_York',
    contact: { phone: '+12125550199' },
  };

  it('carries the appointment for flows, with local renderings in the business zone', () => {
    const event = toCanonicalEvent({ ...base, type: 'appointment.booked', preexisting: false });
    expect(event).toEqual({
      type: 'appointment.booked',
      dedupeKey: 'bookings@acme-dental.example:7kq1appt0001:"33810":booked',
      occurredAt: base.occurredAt,
      contact: { phone: '+12125550199' },
      correlation: { appointmentId: '7kq1appt0001' },
      data: {
        appointmentId: '7kq1appt0001',
        calendarId: 'bookings@acme-dental.example',
        status: 'booked',
        startsAt: '2026-11-25T15:00:00.000Z',
        endsAt: '2026-11-25T16:00:00.000Z',
        startsAtLocal: '2026-11-25T10:00:00.000-05:00',
        startsAtDate: 'Wednesday, November 25',
        startsAtTime: '10:00 AM',
        timeZone: 'America/New_York',
        businessTimeZone: 'America/New_York',
        attendeeTimeZone: null,
        summary: 'Cleaning - Dana Kim',
        location: 'Acme Dental, 10 W 33rd St, New York',
        preexisting: false,
      },
    });
  });

  it("renders in the client's own zone when known, and keeps the previous start of a move", () => {
    const event = toCanonicalEvent({ ...base, type: 'appointment.rescheduled', attendeeTimeZone: 'America/Los_Angeles', previousStartsAt: new Date('2026-11-25T14:00:00Z') });
    expect(event.data).toMatchObject({ timeZone: 'America/Los_Angeles', startsAtTime: '7:00 AM', previousStartsAt: '2026-11-25T14:00:00.000Z', status: 'rescheduled' });
    expect(event.data).not.toHaveProperty('preexisting');
  });

  it('keys each event version and kind once, hashing keys that would be too long', () => {
    expect(dedupeKeyOf({ ...base, type: 'appointment.cancelled' })).not.toBe(dedupeKeyOf({ ...base, type: 'appointment.booked' }));
    expect(dedupeKeyOf({ ...base, version: '"33811"', type: 'appointment.booked' })).not.toBe(dedupeKeyOf({ ...base, type: 'appointment.booked' }));
    expect(dedupeKeyOf({ ...base, calendarId: 'x'.repeat(500), type: 'appointment.booked' })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

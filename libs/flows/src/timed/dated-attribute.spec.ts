import { dateReached, lapsedSince, parseDatedAttribute } from './dated-attribute';

describe('time-based triggers', () => {
  it('reads the usual forms of a dated attribute', () => {
    expect(parseDatedAttribute('1990-03-14')).toEqual({ year: 1990, month: 3, day: 14 });
    expect(parseDatedAttribute('1990-03-14T00:00:00Z')).toEqual({ year: 1990, month: 3, day: 14 });
    expect(parseDatedAttribute('03-14')).toEqual({ year: null, month: 3, day: 14 });
    expect(parseDatedAttribute('--03-14')).toEqual({ year: null, month: 3, day: 14 });
    expect(parseDatedAttribute('14/03/1990')).toBeNull();
    expect(parseDatedAttribute('1990-13-01')).toBeNull();
  });

  it("reaches a birthday on the contact's own local day, from 09:00", () => {
    // 2026-03-14 05:00Z is still the 13th in Los Angeles, the 14th (06:00) in Berlin.
    expect(dateReached('1990-03-14', new Date('2026-03-14T05:00:00Z'), 'Europe/Berlin')).toBeNull(); // 06:00, too early
    expect(dateReached('1990-03-14', new Date('2026-03-14T08:00:00Z'), 'Europe/Berlin')).toEqual({ year: 2026, years: 36, day: '2026-03-14' });
    expect(dateReached('1990-03-14', new Date('2026-03-14T08:00:00Z'), 'America/Los_Angeles')).toBeNull(); // 01:00 local
    expect(dateReached('1990-03-14', new Date('2026-03-14T17:00:00Z'), 'America/Los_Angeles')).toEqual({ year: 2026, years: 36, day: '2026-03-14' });
    expect(dateReached('03-14', new Date('2026-03-15T17:00:00Z'), 'America/Los_Angeles')).toBeNull();
  });

  it('celebrates 29 February on the 28th in common years', () => {
    expect(dateReached('2000-02-29', new Date('2027-02-28T15:00:00Z'), 'UTC')).toMatchObject({ day: '2027-02-28', years: 27 });
    expect(dateReached('2000-02-29', new Date('2028-02-28T15:00:00Z'), 'UTC')).toBeNull();
    expect(dateReached('2000-02-29', new Date('2028-02-29T15:00:00Z'), 'UTC')).toMatchObject({ day: '2028-02-29' });
  });

  it('finds lapsed customers by their last order', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    expect(lapsedSince('2026-03-01T10:00:00Z', now, 90)).toEqual({ lastOrderAt: '2026-03-01T10:00:00.000Z', daysSince: 92 });
    expect(lapsedSince('2026-03-05T10:00:00Z', now, 90)).toBeNull();
    expect(lapsedSince('yesterday', now, 90)).toBeNull();
  });
});

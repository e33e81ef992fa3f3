import { parseDeactivationDate } from './deactivation-import.service';

describe('parseDeactivationDate', () => {
  it('reads the formats carriers publish', () => {
    expect(parseDeactivationDate('2026-11-02')).toBe('2026-11-02');
    expect(parseDeactivationDate('2026-11-02T13:45:00Z')).toBe('2026-11-02');
    expect(parseDeactivationDate('20261102')).toBe('2026-11-02');
    expect(parseDeactivationDate('11/2/2026')).toBe('2026-11-02');
    expect(parseDeactivationDate(' 02/29/2028 ')).toBe('2028-02-29');
  });

  it('refuses what is not a real day', () => {
    for (const bad of ['', 'yesterday', '2026-13-01', '20260230', '02/29/2027', '2026/11/02', '1102']) expect(parseDeactivationDate(bad)).toBeNull();
  });
});

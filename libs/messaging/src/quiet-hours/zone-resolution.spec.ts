import { resolveZones } from './zone-resolution';

describe('resolveZones', () => {
  it('prefers an explicit zone', () => {
    expect(resolveZones('America/Denver', ['America/New_York'], 'America/Chicago')).toEqual({ zones: ['America/Denver'], source: 'contact' });
  });

  it("then the number's exchange, with every candidate", () => {
    expect(resolveZones(null, ['America/New_York', 'America/Chicago'], 'America/Denver')).toEqual({ zones: ['America/New_York', 'America/Chicago'], source: 'phone_exchange' });
  });

  it("holds a toll-free or unknown number to the workspace's zone and says so", () => {
    expect(resolveZones(null, [], 'America/Chicago')).toEqual({ zones: ['America/Chicago'], source: 'workspace_unknown_number' });
    expect(resolveZones('Not/AZone', ['Bogus/Zone'], 'America/Chicago')).toEqual({ zones: ['America/Chicago'], source: 'workspace' });
  });
});

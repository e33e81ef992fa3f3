import { evaluateSendWindow } from './send-window';

const DEFAULT = { start: '08:00', end: '21:00' };

describe('evaluateSendWindow', () => {
  // 2026-11-20 is a Friday. 01:30Z on the 21st = 20:30 in New York/Miami, 17:30 in Los Angeles.
  const evening = new Date('2026-11-21T01:30:00Z');

  it('applies Florida’s 8–20 window to a Florida number while New York’s 8–21 is still open', () => {
    const fl = evaluateSendWindow({ now: evening, zones: ['America/New_York'], workspaceWindow: DEFAULT, state: 'FL' });
    expect(fl).toEqual({ allowed: false, nextAllowedAt: new Date('2026-11-21T13:00:00Z'), closedBy: 'state:FL', stateRule: 'FL' });
    const ny = evaluateSendWindow({ now: evening, zones: ['America/New_York'], workspaceWindow: DEFAULT, state: 'NY' });
    expect(ny).toMatchObject({ allowed: true, stateRule: null });
    const ca = evaluateSendWindow({ now: evening, zones: ['America/Los_Angeles'], workspaceWindow: DEFAULT, state: 'CA' });
    expect(ca.allowed).toBe(true);
  });

  it('defers each zone to its own 8:00', () => {
    const early = new Date('2026-11-20T12:30:00Z'); // 07:30 New York, 04:30 Los Angeles
    expect(evaluateSendWindow({ now: early, zones: ['America/New_York'], workspaceWindow: DEFAULT }).nextAllowedAt).toEqual(new Date('2026-11-20T13:00:00Z'));
    expect(evaluateSendWindow({ now: early, zones: ['America/Los_Angeles'], workspaceWindow: DEFAULT }).nextAllowedAt).toEqual(new Date('2026-11-20T16:00:00Z'));
  });

  it('sends only when every candidate zone is inside, and waits for the last one to open', () => {
    const at = new Date('2026-11-20T14:30:00Z'); // 09:30 New York, 06:30 Los Angeles
    const result = evaluateSendWindow({ now: at, zones: ['America/New_York', 'America/Los_Angeles'], workspaceWindow: DEFAULT });
    expect(result).toMatchObject({ allowed: false, closedBy: 'federal', nextAllowedAt: new Date('2026-11-20T16:00:00Z') });
  });

  it('lets the workspace narrow the window', () => {
    const at = new Date('2026-11-20T14:30:00Z'); // 09:30 New York
    const result = evaluateSendWindow({ now: at, zones: ['America/New_York'], workspaceWindow: { start: '10:00', end: '18:00' } });
    expect(result).toMatchObject({ allowed: false, closedBy: 'workspace', nextAllowedAt: new Date('2026-11-20T15:00:00Z') });
  });

  it('knows the end of the window is exclusive and handles daylight-saving changes', () => {
    expect(evaluateSendWindow({ now: new Date('2026-11-21T02:00:00Z'), zones: ['America/New_York'], workspaceWindow: DEFAULT }).allowed).toBe(false); // 21:00 EST
    expect(evaluateSendWindow({ now: new Date('2026-11-21T01:59:00Z'), zones: ['America/New_York'], workspaceWindow: DEFAULT }).allowed).toBe(true);
    // Saturday 2026-03-07 22:00 EST → Sunday 8:00 EDT (after the spring-forward) is 12:00Z.
    const dst = evaluateSendWindow({ now: new Date('2026-03-08T03:00:00Z'), zones: ['America/New_York'], workspaceWindow: DEFAULT });
    expect(dst.nextAllowedAt).toEqual(new Date('2026-03-08T12:00:00Z'));
  });

  it('skips Sundays and holidays where a state forbids them', () => {
    // Saturday 2026-11-21 21:30 Central in Alabama → Sunday closed → Monday 08:00 CST (14:00Z).
    const result = evaluateSendWindow({ now: new Date('2026-11-22T03:30:00Z'), zones: ['America/Chicago'], workspaceWindow: DEFAULT, state: 'AL' });
    expect(result.nextAllowedAt).toEqual(new Date('2026-11-23T14:00:00Z'));
    // Thanksgiving 2026 is Thursday the 26th: Pennsylvania sends nothing that day.
    const pa = evaluateSendWindow({ now: new Date('2026-11-26T15:00:00Z'), zones: ['America/New_York'], workspaceWindow: DEFAULT, state: 'PA' });
    expect(pa).toMatchObject({ allowed: false, closedBy: 'state:PA', nextAllowedAt: new Date('2026-11-27T13:00:00Z') });
  });

  it('answers null when the windows never meet', () => {
    const result = evaluateSendWindow({ now: new Date('2026-11-20T12:00:00Z'), zones: ['Pacific/Kiritimati', 'Pacific/Pago_Pago'], workspaceWindow: { start: '08:00', end: '09:00' } });
    expect(result).toMatchObject({ allowed: false, nextAllowedAt: null });
  });
});

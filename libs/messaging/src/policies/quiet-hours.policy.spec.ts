import { policyContext } from './policy-context.fixture';
import { QuietHoursPolicy, restartOffsetMs, RESTART_SPREAD_SECONDS } from './quiet-hours.policy';

describe('QuietHoursPolicy', () => {
  const policy = new QuietHoursPolicy();
  const evening = new Date('2026-11-21T01:30:00Z'); // 20:30 in Miami and New York, 17:30 in Los Angeles

  it('defers marketing to a Florida number after 20:00 to the next 8:00, spread by message', () => {
    const context = policyContext({ now: evening });
    const decision = policy.evaluate(context);
    expect(decision).toMatchObject({ outcome: 'defer', reason: 'quiet_hours', detail: { closedBy: 'state:FL', zoneSource: 'phone_exchange', windowOpensAt: '2026-11-21T13:00:00.000Z' } });
    expect(decision.until!.getTime()).toBe(new Date('2026-11-21T13:00:00Z').getTime() + restartOffsetMs(context.message.id));
    expect(restartOffsetMs(context.message.id)).toBeLessThan(RESTART_SPREAD_SECONDS * 1000);
  });

  it('applies the state window to marketing only', () => {
    expect(policy.evaluate(policyContext({ now: evening, message: { type: 'conversational' } })).outcome).toBe('pass');
  });

  it('lets New York and California numbers through at the same instant', () => {
    expect(policy.evaluate(policyContext({ now: evening, region: 'NY' })).outcome).toBe('pass');
    expect(policy.evaluate(policyContext({ now: evening, region: 'CA', zone: { zones: ['America/Los_Angeles'] } })).outcome).toBe('pass');
  });

  it('exempts system replies, and transactional messages when the workspace says so', () => {
    const night = new Date('2026-11-21T07:00:00Z');
    expect(policy.evaluate(policyContext({ now: night, message: { type: 'system', systemKind: 'help' } })).outcome).toBe('pass');
    expect(policy.evaluate(policyContext({ now: night, message: { type: 'transactional' } })).outcome).toBe('pass');
    const strict = policyContext({ now: night, message: { type: 'transactional' }, workspace: { policy: { quietHours: { start: '08:00', end: '21:00', exemptTransactional: false } } } });
    expect(policy.evaluate(strict)).toMatchObject({ outcome: 'defer', detail: { closedBy: 'federal' } });
  });

  it('records which zone source decided', () => {
    const decision = policy.evaluate(policyContext({ region: null, zone: { zones: ['America/Chicago'], source: 'workspace_unknown_number' } }));
    expect(decision).toMatchObject({ outcome: 'pass', detail: { zoneSource: 'workspace_unknown_number', zones: ['America/Chicago'] } });
  });
});

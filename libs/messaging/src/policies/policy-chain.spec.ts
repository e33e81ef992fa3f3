import { runPolicies, SEND_POLICIES } from './policy-chain';
import { policyContext } from './policy-context.fixture';

describe('runPolicies', () => {
  it('runs suppression, consent, quiet hours, frequency cap and duplicate key in that order', () => {
    expect(SEND_POLICIES.map((p) => p.name)).toEqual(['suppression', 'consent', 'quiet_hours', 'frequency_cap', 'duplicate_key']);
  });

  it('stops at the first refusal at send time, and explains every policy for a check', () => {
    const context = policyContext({ suppressed: true, consent: { marketing: 'opted_out' } });
    const send = runPolicies(context, { all: false });
    expect(send.decision).toMatchObject({ policy: 'suppression', outcome: 'block', reason: 'suppressed' });
    expect(send.trace).toHaveLength(1);
    const check = runPolicies(context, { all: true });
    expect(check.decision.reason).toBe('suppressed');
    expect(check.trace.map((t) => [t.policy, t.outcome, t.reason])).toEqual([
      ['suppression', 'block', 'suppressed'],
      ['consent', 'block', 'opted_out'],
      ['quiet_hours', 'pass', 'inside_window'],
      ['frequency_cap', 'pass', 'under_cap'],
      ['duplicate_key', 'pass', 'first_handoff'],
    ]);
  });

  it('passes when every policy passes', () => {
    expect(runPolicies(policyContext(), { all: false }).decision).toMatchObject({ outcome: 'pass', policy: 'duplicate_key' });
  });
});

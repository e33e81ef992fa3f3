import { FrequencyCapPolicy } from './frequency-cap.policy';
import { policyContext } from './policy-context.fixture';

describe('FrequencyCapPolicy', () => {
  const policy = new FrequencyCapPolicy();

  it('blocks marketing past the workspace cap', () => {
    const context = policyContext({ region: 'NY', history: { handedOffInCapWindow: 3 } });
    expect(policy.evaluate(context)).toMatchObject({ outcome: 'block', reason: 'frequency_cap', detail: { limit: 3, windowHours: 24 } });
    expect(policy.evaluate(policyContext({ region: 'NY', history: { handedOffInCapWindow: 2 } })).outcome).toBe('pass');
  });

  it('does not cap types the workspace does not cap', () => {
    expect(policy.evaluate(policyContext({ message: { type: 'transactional' }, history: { handedOffInCapWindow: 50 } })).outcome).toBe('pass');
    expect(policy.evaluate(policyContext({ message: { type: 'system', systemKind: 'help' }, history: { handedOffInCapWindow: 50 } })).outcome).toBe('pass');
  });

  it("applies Florida's own 3-per-24h cap even when the workspace allows more", () => {
    const generous = { policy: { frequencyCap: { count: 10, windowHours: 24, types: ['marketing'] } } };
    expect(policy.evaluate(policyContext({ workspace: generous, history: { handedOffInCapWindow: 3, marketingInStateCapWindow: 3 } }))).toMatchObject({
      outcome: 'block',
      reason: 'state_frequency_cap',
      detail: { state: 'FL' },
    });
    expect(policy.evaluate(policyContext({ workspace: generous, region: 'NY', history: { handedOffInCapWindow: 3, marketingInStateCapWindow: 3 } })).outcome).toBe('pass');
  });
});

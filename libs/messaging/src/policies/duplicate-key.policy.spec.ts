import { DuplicateKeyPolicy } from './duplicate-key.policy';
import { policyContext } from './policy-context.fixture';

describe('DuplicateKeyPolicy', () => {
  const policy = new DuplicateKeyPolicy();

  it('lets a message that was never handed off go', () => {
    expect(policy.evaluate(policyContext({ message: { status: 'queued' } })).outcome).toBe('pass');
    expect(policy.evaluate(policyContext({ message: { status: 'deferred' } })).outcome).toBe('pass');
  });

  it('fails, without re-sending, a message an earlier attempt left in "sending"', () => {
    expect(policy.evaluate(policyContext({ message: { status: 'sending' } }))).toMatchObject({ outcome: 'fail', reason: 'ambiguous_handoff' });
  });

  it('refuses a message already handled', () => {
    for (const status of ['sent', 'delivered', 'blocked', 'failed'] as const) {
      expect(policy.evaluate(policyContext({ message: { status } }))).toMatchObject({ outcome: 'block', reason: 'already_handled' });
    }
  });
});

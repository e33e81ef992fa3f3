import { policyContext } from './policy-context.fixture';
import { SuppressionPolicy } from './suppression.policy';

describe('SuppressionPolicy', () => {
  const policy = new SuppressionPolicy();

  it('blocks a suppressed number', () => {
    expect(policy.evaluate(policyContext({ suppressed: true }))).toMatchObject({ outcome: 'block', reason: 'suppressed' });
  });

  it('passes a number that is not on the list', () => {
    expect(policy.evaluate(policyContext())).toMatchObject({ outcome: 'pass' });
  });

  it('blocks a contact without a number (erased)', () => {
    expect(policy.evaluate(policyContext({ phone: null }))).toMatchObject({ outcome: 'block', reason: 'no_phone' });
  });

  it('still answers HELP and confirms STOP to a suppressed number, but sends nothing else', () => {
    for (const systemKind of ['help', 'stop_confirmation'] as const) {
      expect(policy.evaluate(policyContext({ suppressed: true, message: { type: 'system', systemKind } })).outcome).toBe('pass');
    }
    expect(policy.evaluate(policyContext({ suppressed: true, message: { type: 'system', systemKind: 'opt_in_request' } })).outcome).toBe('block');
  });
});

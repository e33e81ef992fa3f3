import { ConsentPolicy } from './consent.policy';
import { policyContext } from './policy-context.fixture';

describe('ConsentPolicy', () => {
  const policy = new ConsentPolicy();

  it.each([
    ['none', 'no_consent'],
    ['pending', 'pending_opt_in'],
    ['opted_out', 'opted_out'],
  ] as const)('sends no marketing to a %s contact', (state, reason) => {
    expect(policy.evaluate(policyContext({ consent: { marketing: state } }))).toMatchObject({ outcome: 'block', reason });
  });

  it('sends marketing to an opted-in contact', () => {
    expect(policy.evaluate(policyContext())).toMatchObject({ outcome: 'pass', reason: 'opted_in' });
  });

  it('judges each type on its own consent', () => {
    const context = policyContext({ consent: { marketing: 'opted_out', transactional: 'none' }, message: { type: 'transactional' } });
    expect(policy.evaluate(context)).toMatchObject({ outcome: 'pass', reason: 'transactional_not_opted_out' });
    expect(policy.evaluate(policyContext({ consent: { transactional: 'opted_out' }, message: { type: 'transactional' } }))).toMatchObject({ outcome: 'block', reason: 'opted_out' });
  });

  it('holds a conversational message until YES in consent mode, and lets it through in disclaimer mode', () => {
    const none = { consent: { conversational: 'none' as const }, message: { type: 'conversational' as const } };
    expect(policy.evaluate(policyContext(none))).toMatchObject({ outcome: 'hold', reason: 'awaiting_opt_in' });
    expect(policy.evaluate(policyContext({ ...none, workspace: { optInMode: 'disclaimer' } }))).toMatchObject({ outcome: 'pass', reason: 'disclaimer_mode' });
    expect(policy.evaluate(policyContext({ ...none, consent: { conversational: 'opted_out' }, workspace: { optInMode: 'disclaimer' } }))).toMatchObject({ outcome: 'block' });
  });

  describe('system messages', () => {
    const optedOut = { marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' } as const;
    const system = (systemKind: string, extra: Parameters<typeof policyContext>[0] = {}) =>
      policy.evaluate(policyContext({ ...extra, message: { type: 'system', systemKind: systemKind as never, ...extra.message } }));

    it('answers HELP even to someone who opted out', () => {
      expect(system('help', { consent: optedOut })).toMatchObject({ outcome: 'pass', reason: 'help_always_answered' });
    });

    it('sends one STOP confirmation, within 5 minutes of the STOP', () => {
      const now = new Date('2026-11-20T17:00:00Z');
      expect(system('stop_confirmation', { now, consent: optedOut, message: { createdAt: new Date(now.getTime() - 60_000) } }).outcome).toBe('pass');
      expect(system('stop_confirmation', { now, consent: optedOut, message: { createdAt: new Date(now.getTime() - 6 * 60_000) } })).toMatchObject({
        outcome: 'block',
        reason: 'stop_confirmation_late',
      });
      expect(system('stop_confirmation', { now, consent: optedOut, history: { lastSystemHandoff: { stop_confirmation: new Date(now.getTime() - 30_000) } } })).toMatchObject({
        outcome: 'block',
        reason: 'stop_confirmation_already_sent',
      });
      // After a START the next STOP gets its own confirmation.
      expect(
        system('stop_confirmation', {
          now,
          consent: optedOut,
          history: { lastSystemHandoff: { stop_confirmation: new Date('2026-11-01T00:00:00Z') }, lastOptInKeywordAt: new Date('2026-11-10T00:00:00Z') },
        }).outcome,
      ).toBe('pass');
      expect(system('stop_confirmation')).toMatchObject({ outcome: 'block', reason: 'not_opted_out' });
    });

    it('sends one opt-in request per pending period and none after STOP', () => {
      const pending = { marketing: 'pending', conversational: 'none' } as const;
      expect(system('opt_in_request', { consent: pending }).outcome).toBe('pass');
      expect(system('opt_in_request', { consent: pending, history: { lastSystemHandoff: { opt_in_request: new Date('2026-11-19T00:00:00Z') } } })).toMatchObject({
        reason: 'opt_in_request_already_sent',
      });
      expect(system('opt_in_request', { consent: { ...pending, transactional: 'opted_out' } })).toMatchObject({ outcome: 'block', reason: 'opted_out' });
    });

    it('sends an opt-in request only to someone who asked, or to answer a held text', () => {
      const nobodyAsked = { marketing: 'none', transactional: 'none', conversational: 'none' } as const;
      expect(system('opt_in_request', { consent: nobodyAsked })).toMatchObject({ outcome: 'block', reason: 'no_pending_opt_in' });
      expect(system('opt_in_request', { consent: nobodyAsked, message: { answersHeld: true } }).outcome).toBe('pass');
      expect(system('opt_in_request', { consent: nobodyAsked, message: { answersHeld: true }, workspace: { optInMode: 'disclaimer' } })).toMatchObject({ reason: 'no_pending_opt_in' });
      expect(system('opt_in_request', { consent: { ...nobodyAsked, conversational: 'opted_in' }, message: { answersHeld: true } })).toMatchObject({ reason: 'already_opted_in' });
    });

    it('confirms an opt-in only once the person is opted in', () => {
      expect(system('opt_in_confirmation').outcome).toBe('pass');
      expect(system('start_confirmation', { consent: optedOut })).toMatchObject({ outcome: 'block', reason: 'not_opted_in' });
    });
  });
});

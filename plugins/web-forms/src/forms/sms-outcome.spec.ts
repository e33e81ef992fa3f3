import { outcomeMessage, smsOutcome } from './sms-outcome';

const none = { marketing: 'none', transactional: 'none', conversational: 'none' } as const;

describe('what a submission says about the text', () => {
  const outcome = (overrides: Partial<Parameters<typeof smsOutcome>[0]>) => smsOutcome({ checked: true, types: ['marketing'], before: null, optInFlowActive: true, ...overrides });

  it('promises a text only when the box was ticked and an opt-in flow will send one', () => {
    expect(outcome({})).toBe('text_sent');
    expect(outcome({ before: none })).toBe('text_sent');
    expect(outcome({ checked: false })).toBe('no_consent');
    expect(outcome({ optInFlowActive: false })).toBe('texts_off');
    expect(outcome({ before: { ...none, marketing: 'opted_in' } })).toBe('already_opted_in');
    expect(outcome({ before: { ...none, marketing: 'pending' } })).toBe('awaiting_reply');
    expect(outcome({ before: { marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' } })).toBe('opted_out');
  });

  it('uses the form’s own text only for a text that goes out', () => {
    expect(outcomeMessage('text_sent', 'Reply YES!')).toBe('Reply YES!');
    expect(outcomeMessage('no_consent', 'Reply YES!')).not.toContain('Reply YES');
  });
});

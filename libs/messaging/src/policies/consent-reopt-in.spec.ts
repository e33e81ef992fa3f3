import { ConsentPolicy } from './consent.policy';
import { policyContext } from './policy-context.fixture';

/** Decision 0166: after STOP, the one opt-in request allowed is the answer to a new message from the person. */
describe('ConsentPolicy: an opt-in request after STOP', () => {
  const policy = new ConsentPolicy();
  const optedOut = { marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' } as const;
  const stoppedAt = new Date('2026-11-20T16:00:00Z');
  const request = (extra: { reoptIn?: boolean; optInMode?: 'consent' | 'disclaimer'; lastRequest?: Date } = {}) =>
    policy.evaluate(
      policyContext({
        consent: optedOut,
        workspace: { optInMode: extra.optInMode ?? 'consent' },
        message: { type: 'system', systemKind: 'opt_in_request', answersHeld: true, reoptIn: extra.reoptIn ?? false },
        history: { lastSystemHandoff: { stop_confirmation: stoppedAt, ...(extra.lastRequest && { opt_in_request: extra.lastRequest }) }, lastOptInKeywordAt: null },
      }),
    );

  it('is refused unless the person wrote again', () => {
    expect(request()).toMatchObject({ outcome: 'block', reason: 'opted_out' });
  });

  it('passes once when they wrote again, in consent mode only', () => {
    expect(request({ reoptIn: true })).toMatchObject({ outcome: 'pass', reason: 'client_wrote_after_opt_out' });
    expect(request({ reoptIn: true, lastRequest: new Date('2026-11-20T15:00:00Z') })).toMatchObject({ outcome: 'pass' });
    expect(request({ reoptIn: true, lastRequest: new Date('2026-11-20T16:30:00Z') })).toMatchObject({ outcome: 'block', reason: 'opt_in_request_already_sent' });
    expect(request({ reoptIn: true, optInMode: 'disclaimer' })).toMatchObject({ outcome: 'block', reason: 'opted_out' });
  });
});

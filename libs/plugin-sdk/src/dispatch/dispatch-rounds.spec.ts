import { byRound, planRounds } from './dispatch-rounds';

describe('planRounds', () => {
  it('keeps a batch of unrelated events in one round', () => {
    expect(planRounds([['p:+1'], ['p:+2'], ['p:+3', 'k:cart-3'], []])).toEqual([0, 0, 0, 0]);
  });

  it('puts each later event sharing a phone or correlation value in the next round, in order', () => {
    // 0 and 2 share a phone; 3 shares the cart token of 2; 1 and 4 are unrelated.
    const rounds = planRounds([['p:+1', 'k:a'], ['p:+2'], ['p:+1', 'k:b'], ['p:+3', 'k:b'], ['p:+4']]);
    expect(rounds).toEqual([0, 0, 1, 2, 0]);
    expect(byRound(['e0', 'e1', 'e2', 'e3', 'e4'], rounds)).toEqual([['e0', 'e1', 'e4'], ['e2'], ['e3']]);
  });

  it('gives an event of unknown contact a round of its own between what came before and after it', () => {
    const rounds = planRounds([['p:+1'], ['p:+1'], 'alone', ['p:+2'], 'alone', []]);
    expect(rounds).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

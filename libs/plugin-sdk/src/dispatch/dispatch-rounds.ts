/**
 * What an event of a dispatch batch touches: the keys it shares with other events (its
 * contact's phone, its correlation values), or 'alone' when that cannot be known before its
 * contact is resolved (an event found by external id only).
 */
export type DispatchKeys = string[] | 'alone';

/**
 * Splits a batch into rounds so that handling each round as one set gives what handling the
 * events one after another, in batch order, would give: two events that share a key go to
 * successive rounds (the later one sees what the earlier one did — its run, its consent), and an
 * 'alone' event gets a round of its own between what came before and after it. Answers each
 * item's round number (0-based); most batches are one round.
 */
export function planRounds(keys: DispatchKeys[]): number[] {
  const lastRound = new Map<string, number>();
  let floor = 0;
  let highest = -1;
  return keys.map((itemKeys) => {
    let round: number;
    if (itemKeys === 'alone') {
      round = highest + 1;
      floor = round + 1;
    } else {
      round = floor;
      for (const key of itemKeys) round = Math.max(round, (lastRound.get(key) ?? -1) + 1);
      for (const key of itemKeys) lastRound.set(key, round);
    }
    highest = Math.max(highest, round);
    return round;
  });
}

/** The items grouped by round, rounds in order, items in batch order within each. */
export function byRound<T>(items: T[], rounds: number[]): T[][] {
  const grouped: T[][] = [];
  items.forEach((item, i) => (grouped[rounds[i]] ??= []).push(item));
  return grouped.filter((round) => round !== undefined);
}

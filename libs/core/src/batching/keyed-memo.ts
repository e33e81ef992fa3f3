import { LRUCache } from 'lru-cache';

/**
 * Remembers answers to a keyed question for a short while, and lets concurrent askers share the
 * one query in flight. For facts that change rarely but are asked per event on hot paths
 * ("does any active flow trigger on consent.changed?"): the owner of the data calls `clear`
 * whenever it writes, so this process sees its own changes at once, and other processes within
 * `ttlMs`.
 *
 * The entries live in lru-cache (decision 0238): when `maxEntries` keys are held, the least
 * recently asked one goes, not every answer at once (a full memo used to empty itself, and every
 * workspace's next event went back to the database together).
 */
export class KeyedMemo<V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<string, Promise<V>>;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.entries = new LRUCache<string, Promise<V>>({ max: maxEntries, ttl: ttlMs });
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const value = load();
    this.entries.set(key, value);
    // A failed load is not remembered: the next asker tries again.
    value.catch(() => {
      if (this.entries.peek(key) === value) this.entries.delete(key);
    });
    return value;
  }

  /** Forgets every answer (after a write that may change any of them). */
  clear(): void {
    this.entries.clear();
  }

  /** How many answers are held (at most `maxEntries`). */
  get size(): number {
    return this.entries.size;
  }
}

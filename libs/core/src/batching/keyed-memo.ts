/**
 * Remembers answers to a keyed question for a short while, and lets concurrent askers share the
 * one query in flight. For facts that change rarely but are asked per event on hot paths
 * ("does any active flow trigger on consent.changed?"): the owner of the data calls `clear`
 * whenever it writes, so this process sees its own changes at once, and other processes within
 * `ttlMs`.
 */
export class KeyedMemo<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    const entry = { at: Date.now(), value };
    this.entries.set(key, entry);
    // A failed load is not remembered: the next asker tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Forgets every answer (after a write that may change any of them). */
  clear(): void {
    this.entries.clear();
  }
}

/**
 * Runs batch calls one at a time; batches that arrive while one runs wait and then go as one
 * call. The dispatch uses it so the events of one burst are handled in order even across batch
 * boundaries (decision 0117), and so a busy moment makes fewer, larger batches.
 */
export class BatchTurns<T, R> {
  private waiting: { items: T[]; resolve: (outcomes: R[]) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(private readonly run: (items: T[]) => Promise<R[]>) {}

  /** Answers the batch's outcomes, in order, once its turn has run. */
  submit(items: T[]): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0);
        try {
          const outcomes = await this.run(group.flatMap((g) => g.items));
          let from = 0;
          for (const g of group) g.resolve(outcomes.slice(from, (from += g.items.length)));
        } catch (error) {
          group.forEach((g) => g.reject(error));
        }
      }
    } finally {
      this.running = false;
    }
  }
}

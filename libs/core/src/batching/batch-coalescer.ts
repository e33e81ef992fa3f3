/** What a batch function answers for one item: its result, or the error that item alone failed with. */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface BatchCoalescerOptions {
  /** A batch is sent as soon as it holds this many items. */
  maxBatch: number;
  /**
   * How long the first item of a batch waits for company. 0 waits for the current turn of the
   * event loop only (everything submitted synchronously, or by callers woken together, shares one batch).
   */
  maxWaitMs: number;
  /**
   * At most this many batches in flight; later items wait (and gather) until one ends. For batch
   * work that holds a database connection while it uses others, this keeps the pool from starving.
   */
  maxConcurrent?: number;
}

/**
 * Turns many concurrent single-item calls into a few batch calls (the DataLoader idea): every
 * `submit` made within `maxWaitMs` of the first, up to `maxBatch` items, goes to one call of
 * `run`, and each caller gets its own item's result or error. Used where per-item work is a
 * queue job (one job per message, per run, per event — law 3) but the database work for a few
 * hundred of them costs little more than for one.
 *
 * `run` answers one outcome per item, in order. If `run` itself throws, every item of the batch
 * gets that error.
 */
export class BatchCoalescer<T, R> {
  private pending: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  private timer: { cancel: () => void } | null = null;
  private inFlight = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<BatchOutcome<R>[]>,
    private readonly options: BatchCoalescerOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxBatch && this.hasRoom()) this.flush();
      else if (!this.timer) this.timer = this.schedule();
    });
  }

  private hasRoom(): boolean {
    return this.options.maxConcurrent === undefined || this.inFlight < this.options.maxConcurrent;
  }

  private schedule(): { cancel: () => void } {
    if (this.options.maxWaitMs > 0) {
      const timeout = setTimeout(() => this.flush(), this.options.maxWaitMs);
      return { cancel: () => clearTimeout(timeout) };
    }
    const immediate = setImmediate(() => this.flush());
    return { cancel: () => clearImmediate(immediate) };
  }

  /** Sends what is waiting now (also called by the timer). */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.pending.length === 0) return;
    if (this.options.maxConcurrent !== undefined && this.inFlight >= this.options.maxConcurrent) return;
    const batch = this.pending.slice(0, this.options.maxBatch);
    this.pending = this.pending.slice(batch.length);
    this.inFlight++;
    const done = () => {
      this.inFlight--;
      if (this.pending.length > 0 && !this.timer) this.timer = this.schedule();
    };
    this.run(batch.map((p) => p.item)).then(
      (outcomes) => {
        batch.forEach((p, i) => {
          const outcome = outcomes[i];
          if (!outcome) p.reject(new Error('batch answered fewer outcomes than items'));
          else if (outcome.ok) p.resolve(outcome.value);
          else p.reject(outcome.error);
        });
        done();
      },
      (error: unknown) => {
        batch.forEach((p) => p.reject(error));
        done();
      },
    );
  }
}

/** Runs `work` for each item, isolating failures: a helper for batch functions that fall back to one item at a time. */
export async function settleEach<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<BatchOutcome<R>[]> {
  const settled = await Promise.allSettled(items.map(work));
  return settled.map((s) => (s.status === 'fulfilled' ? { ok: true as const, value: s.value } : { ok: false as const, error: s.reason }));
}

/**
 * Splits a batch by workspace (every repository call is scoped to one) and runs `work` on each
 * workspace's items, one workspace after another; answers per item, in the original order. A
 * workspace whose `work` throws fails its own items only.
 */
export async function perWorkspace<T extends { workspaceId: string }, R>(
  items: T[],
  work: (workspaceId: string, group: T[]) => Promise<BatchOutcome<R>[]>,
): Promise<BatchOutcome<R>[]> {
  const byWorkspace = new Map<string, number[]>();
  items.forEach((item, i) => byWorkspace.set(item.workspaceId, [...(byWorkspace.get(item.workspaceId) ?? []), i]));
  const outcomes: BatchOutcome<R>[] = new Array(items.length);
  for (const [workspaceId, indexes] of byWorkspace) {
    try {
      const answered = await work(workspaceId, indexes.map((i) => items[i]));
      indexes.forEach((i, k) => (outcomes[i] = answered[k]));
    } catch (error) {
      indexes.forEach((i) => (outcomes[i] = { ok: false, error }));
    }
  }
  return outcomes;
}

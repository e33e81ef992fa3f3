import { BatchCoalescer, perWorkspace, settleEach } from './batch-coalescer';

describe('BatchCoalescer', () => {
  it('sends concurrent submits as one batch and answers each caller its own result', async () => {
    const batches: number[][] = [];
    const coalescer = new BatchCoalescer<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => ({ ok: true as const, value: n * 2 }));
    }, { maxBatch: 100, maxWaitMs: 0 });
    const results = await Promise.all([1, 2, 3].map((n) => coalescer.submit(n)));
    expect(results).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('splits at maxBatch', async () => {
    const sizes: number[] = [];
    const coalescer = new BatchCoalescer<number, number>(async (items) => {
      sizes.push(items.length);
      return items.map((n) => ({ ok: true as const, value: n }));
    }, { maxBatch: 2, maxWaitMs: 5 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => coalescer.submit(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('fails only the item that failed, and every item when the batch itself throws', async () => {
    const perItem = new BatchCoalescer<number, number>((items) => settleEach(items, async (n) => {
      if (n === 2) throw new Error('two is bad');
      return n;
    }), { maxBatch: 10, maxWaitMs: 0 });
    const settled = await Promise.allSettled([1, 2, 3].map((n) => perItem.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);

    const broken = new BatchCoalescer<number, number>(async () => {
      throw new Error('database down');
    }, { maxBatch: 10, maxWaitMs: 0 });
    const all = await Promise.allSettled([1, 2].map((n) => broken.submit(n)));
    expect(all.every((s) => s.status === 'rejected' && (s.reason as Error).message === 'database down')).toBe(true);
  });

  it('keeps at most maxConcurrent batches in flight, gathering the rest meanwhile', async () => {
    let inFlight = 0;
    let peak = 0;
    const sizes: number[] = [];
    const coalescer = new BatchCoalescer<number, number>(async (items) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      sizes.push(items.length);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return items.map((n) => ({ ok: true as const, value: n }));
    }, { maxBatch: 3, maxWaitMs: 0, maxConcurrent: 1 });
    const results = await Promise.all(Array.from({ length: 7 }, (_, n) => coalescer.submit(n)));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(1);
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('perWorkspace answers in the original order, and a failing workspace fails its own items only', async () => {
    const items = [
      { workspaceId: 'a', n: 1 },
      { workspaceId: 'b', n: 2 },
      { workspaceId: 'a', n: 3 },
    ];
    const outcomes = await perWorkspace(items, async (workspaceId, group) => {
      if (workspaceId === 'b') throw new Error('b is down');
      return group.map((item) => ({ ok: true as const, value: item.n * 10 }));
    });
    expect(outcomes.map((o) => (o.ok ? o.value : (o.error as Error).message))).toEqual([10, 'b is down', 30]);
  });
});

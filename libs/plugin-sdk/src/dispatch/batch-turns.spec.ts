import { BatchTurns } from './batch-turns';

describe('BatchTurns', () => {
  it('runs one call at a time and merges the batches that waited, answering each its own slice', async () => {
    const calls: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const turns = new BatchTurns<number, number>(async (items) => {
      calls.push(items);
      if (calls.length === 1) await gate;
      return items.map((n) => n * 10);
    });
    const first = turns.submit([1, 2]);
    const second = turns.submit([3]);
    const third = turns.submit([4, 5]);
    release();
    expect(await first).toEqual([10, 20]);
    expect(await second).toEqual([30]);
    expect(await third).toEqual([40, 50]);
    expect(calls).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('rejects the batches of a failed call and goes on with the next', async () => {
    let fail = true;
    const turns = new BatchTurns<number, number>(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('database down');
      }
      return items;
    });
    await expect(turns.submit([1])).rejects.toThrow('database down');
    expect(await turns.submit([2])).toEqual([2]);
  });
});

import { KeyedMemo } from './keyed-memo';

describe('KeyedMemo', () => {
  it('shares one load between concurrent askers and remembers it for the ttl', async () => {
    let loads = 0;
    const memo = new KeyedMemo<number>(1_000);
    const load = async () => ++loads;
    expect(await Promise.all([memo.get('a', load), memo.get('a', load)])).toEqual([1, 1]);
    expect(await memo.get('a', load)).toBe(1);
    expect(await memo.get('b', load)).toBe(2);
  });

  it('asks again after clear, after the ttl, and after a failed load', async () => {
    let loads = 0;
    const memo = new KeyedMemo<number>(20);
    await memo.get('a', async () => ++loads);
    memo.clear();
    expect(await memo.get('a', async () => ++loads)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await memo.get('a', async () => ++loads)).toBe(3);
    await expect(memo.get('x', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await memo.get('x', async () => 7)).toBe(7);
  });
});

describe('KeyedMemo when full', () => {
  it('drops the least recently asked answer, keeping the others', async () => {
    let loads = 0;
    const memo = new KeyedMemo<number>(60_000, 3);
    const load = async () => ++loads;
    await memo.get('a', load);
    await memo.get('b', load);
    await memo.get('c', load);
    await memo.get('a', load); // a asked again: b is now the least recent
    await memo.get('d', load); // full: b goes
    expect(memo.size).toBe(3);
    expect(loads).toBe(4);
    expect(await memo.get('a', load)).toBe(1);
    expect(await memo.get('c', load)).toBe(3);
    expect(await memo.get('d', load)).toBe(4);
    expect(loads).toBe(4); // a, c and d were still remembered
    expect(await memo.get('b', load)).toBe(5); // b was asked again
  });
});

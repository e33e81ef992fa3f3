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

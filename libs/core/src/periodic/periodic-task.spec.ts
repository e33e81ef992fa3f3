import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  it('survives a failing pass, shares a pass between overlapping calls, and runs again afterwards', async () => {
    let calls = 0;
    let release: (() => void) | null = null;
    const outcomes: Array<'fail' | 'block' | 'ok'> = ['fail', 'block', 'ok'];
    const task = new PeriodicTask('test', 60_000, async () => {
      calls += 1;
      const outcome = outcomes.shift();
      if (outcome === 'fail') throw new Error('boom');
      if (outcome === 'block') await new Promise<void>((resolve) => (release = resolve));
    });

    await expect(task.tick()).resolves.toBeUndefined(); // the failure is logged, not thrown
    const first = task.tick();
    const second = task.tick();
    expect(calls).toBe(2); // the overlapping call joined the running pass
    release!();
    await Promise.all([first, second]);
    await task.tick();
    expect(calls).toBe(3);
  });

  it('runs once at start and stops cleanly', async () => {
    let calls = 0;
    const task = new PeriodicTask('start', 60_000, async () => {
      calls += 1;
    });
    task.start();
    await task.stop();
    expect(calls).toBe(1);
  });
});

import Queue from 'bull';

/** Bare Bull: `jobs` no-op jobs through one queue at `concurrency`, on the same Redis. Jobs/s. */
export async function bullNoopJobsPerSecond(redisUrl: string, jobs: number, concurrency = 50): Promise<number> {
  const queue = new Queue(`bench-noop-${Date.now()}`, redisUrl, { prefix: 'optline-bench' });
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    void queue.process(concurrency, async () => {
      done += 1;
      if (done === jobs) resolve();
    });
  });
  const started = performance.now();
  for (let i = 0; i < jobs; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, jobs - i) }, (_, k) => ({ data: { i: i + k }, opts: { removeOnComplete: true } })));
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return jobs / seconds;
}

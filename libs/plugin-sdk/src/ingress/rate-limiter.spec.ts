import { AppConfig } from '@optline/core';
import { randomUUID } from 'node:crypto';
import { TEST_REDIS_URL } from '../../../../test/utils/test-database';
import { RateLimiter } from './rate-limiter.service';

/** A limiter on the machine's Redis under a prefix of its own, as a hub process makes it. */
function limiterOn(redisUrl: string): RateLimiter {
  return new RateLimiter(Object.assign(new AppConfig(), { REDIS_URL: redisUrl, QUEUE_PREFIX: `optline-test:limiter:${randomUUID()}` }));
}

describe('RateLimiter (rate-limiter-flexible on real Redis)', () => {
  const opened: RateLimiter[] = [];
  const open = (url = TEST_REDIS_URL) => {
    const limiter = limiterOn(url);
    opened.push(limiter);
    return limiter;
  };
  afterAll(() => Promise.all(opened.map((l) => l.onModuleDestroy())));

  it('lets exactly the limit through when hits arrive together, and says when to retry', async () => {
    const limiter = open();
    const verdicts = await Promise.all(Array.from({ length: 5 }, () => limiter.hit('ingress:a', 3, 60)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    for (const refused of verdicts.filter((v) => !v.allowed)) {
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    // Another bucket has its own count.
    expect((await limiter.hit('ingress:b', 3, 60)).allowed).toBe(true);
  });

  it('shares one count between hub processes', async () => {
    const config = Object.assign(new AppConfig(), { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `optline-test:limiter:${randomUUID()}` });
    const a = new RateLimiter(config);
    const b = new RateLimiter(config);
    opened.push(a, b);
    expect((await a.hit('plugin:ip:1', 2, 60)).allowed).toBe(true);
    expect((await b.hit('plugin:ip:1', 2, 60)).allowed).toBe(true);
    expect((await a.hit('plugin:ip:1', 2, 60)).allowed).toBe(false);
    expect((await b.hit('plugin:ip:1', 2, 60)).allowed).toBe(false);
  });

  it('opens a new window once the old one has expired', async () => {
    const limiter = open();
    expect((await limiter.hit('plugin:phone:1', 1, 1)).allowed).toBe(true);
    const refused = await limiter.hit('plugin:phone:1', 1, 1);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await limiter.hit('plugin:phone:1', 1, 1)).allowed).toBe(true);
  });

  it('keeps the hits already made when the limit is raised in an open window', async () => {
    const limiter = open();
    expect((await limiter.hit('ingress:c', 1, 60)).allowed).toBe(true);
    expect((await limiter.hit('ingress:c', 1, 60)).allowed).toBe(false);
    expect((await limiter.hit('ingress:c', 3, 60)).allowed).toBe(true); // third hit, limit now 3
    expect((await limiter.hit('ingress:c', 3, 60)).allowed).toBe(false);
  });

  it('lets requests through when Redis cannot be reached', async () => {
    const limiter = open('redis://127.0.0.1:1');
    const verdicts = await Promise.all([limiter.hit('ingress:d', 1, 60), limiter.hit('ingress:d', 1, 60)]);
    expect(verdicts.every((v) => v.allowed)).toBe(true);
  });
});

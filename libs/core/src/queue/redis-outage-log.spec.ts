import { once } from 'node:events';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { RedisOutageLog, redisTarget } from './redis-outage-log';

class Lines {
  readonly warnings: string[] = [];
  warn(_fields: unknown, message: string): void {
    this.warnings.push(message);
  }
  log(): void {}
}

describe('RedisOutageLog', () => {
  it('warns once per interval while a real client cannot connect, counting the rest', async () => {
    // A port nothing listens on: ioredis errors and reconnects every few ms.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');

    const lines = new Lines();
    let now = 0;
    const outage = new RedisOutageLog(lines, `127.0.0.1:${port}`, { intervalMs: 30_000, now: () => now });
    const client = new Redis(port, '127.0.0.1', { retryStrategy: () => 5, maxRetriesPerRequest: null });
    outage.watch(client);
    try {
      while (lines.warnings.length === 0) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 200)); // dozens of reconnects, still one line
      expect(lines.warnings).toHaveLength(1);
      expect(lines.warnings[0]).toMatch(new RegExp(`^Redis at 127\\.0\\.0\\.1:${port} is unreachable: .*ECONNREFUSED.*; reconnecting$`));
      expect(outage.isDown).toBe(true);

      now = 31_000;
      while (lines.warnings.length === 1) await new Promise((r) => setTimeout(r, 10));
      expect(lines.warnings[1]).toMatch(/\(\d+ more errors since the last line\)$/);
    } finally {
      client.disconnect();
    }
  });

  it('says when the connection is back', () => {
    const lines = new Lines();
    const outage = new RedisOutageLog(lines, 'redis:6379', { now: () => 5_000 });
    outage.ready(); // no outage: nothing to say
    outage.error(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    outage.ready();
    expect(lines.warnings).toEqual(['Redis at redis:6379 is unreachable: connect ECONNREFUSED; reconnecting', 'Redis at redis:6379 is reachable again after 0 s']);
    expect(outage.isDown).toBe(false);
  });

  it('keeps the password out of the target', () => {
    expect(redisTarget('redis://:s3cret@cache.internal:6380/0')).toBe('cache.internal:6380');
    expect(redisTarget('redis://127.0.0.1')).toBe('127.0.0.1:6379');
  });
});

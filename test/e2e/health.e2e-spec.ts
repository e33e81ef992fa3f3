import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';
import { TestHub } from '../utils/test-hub';
import { freePort } from '../utils/free-port';

/** A redis-server of this test's own (never the shared one on 6379), without persistence. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  probe.disconnect();
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

describe('health: readiness names the dependency that is down', () => {
  let hub: TestHub;
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    hub = await TestHub.start({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    // Redis back, so the hub's queues close cleanly.
    if (redis.exitCode !== null) redis = await startRedis(port);
    await hub.close();
    await stopRedis(redis);
  });

  it('answers 200 with each dependency up', async () => {
    const res = await hub.http().get('/health/ready').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', details: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('answers 503 naming Redis when Redis is down, and 200 again once it is back', async () => {
    await stopRedis(redis);
    const res = await hub.http().get('/health/ready').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.details.postgres).toEqual({ status: 'up' });
    expect(res.body.details.redis.status).toBe('down');
    expect(res.body.error).toHaveProperty('redis');
    expect(res.body.message).toMatch(/^redis is down/);
    expect(res.body.message).not.toMatch(/postgres/);

    redis = await startRedis(port);
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await hub.http().get('/health/ready')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});

import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, Clock, JobQueue, loadAppConfig, ManualClock, Role } from '@optline/core';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHubApp } from '../../apps/hub/src/bootstrap';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from './test-database';

export const ROOT_TOKEN = 'test-root-token-0123456789';

export interface TestHubOptions {
  env?: Record<string, string>;
  /** Pass a ManualClock to control time; defaults to a ManualClock at the real now. */
  clock?: Clock;
  /** A built console to serve at `/` (the browser tests build one into a temporary folder). */
  consoleDir?: string;
}

/**
 * A real hub (HTTP API and workers) on its own cloned database and its own Bull key prefix,
 * so test files run in parallel without seeing each other.
 */
export class TestHub {
  private constructor(
    readonly app: NestExpressApplication,
    readonly config: AppConfig,
    readonly clock: Clock,
    private readonly databaseName: string,
  ) {}

  static async start(options: TestHubOptions = {}): Promise<TestHub> {
    const db = await createTestDatabase();
    const config = loadAppConfig({
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `optline-test:${db.name}`,
      OPTLINE_ROOT_TOKEN: ROOT_TOKEN,
      OPTLINE_ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
      PUBLIC_URL: 'https://hub.optline.test',
      LOG_LEVEL: 'silent',
      DATABASE_POOL_SIZE: '5',
      ...options.env,
    });
    const clock = options.clock ?? new ManualClock();
    const app = await createHubApp({ config, clock, consoleDir: options.consoleDir });
    await app.init();
    return new TestHub(app, config, clock, db.name);
  }

  http() {
    return request(this.app.getHttpServer());
  }

  get<T>(token: abstract new (...args: never[]) => T): T {
    return this.app.get(token as never);
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  get manualClock(): ManualClock {
    if (!(this.clock instanceof ManualClock)) throw new Error('this hub runs on another clock');
    return this.clock;
  }

  /** Creates a workspace through the API; returns its id and admin key. */
  async createWorkspace(body: Record<string, unknown> = {}): Promise<TestWorkspace> {
    const res = await this.http()
      .post('/v1/workspaces')
      .set('Authorization', `Bearer ${ROOT_TOKEN}`)
      .send({ name: 'Acme', brandName: 'Acme Alerts', supportEmail: 'help@acme.test', ...body })
      .expect(201);
    return new TestWorkspace(this, res.body.workspace.id, res.body.apiKey.key);
  }

  async close(): Promise<void> {
    const queues = this.get(JobQueue).all();
    await Promise.all(queues.map((q) => q.pause(true, true).catch(() => undefined)));
    await this.app.close();
    await dropTestDatabase(this.databaseName);
    await deleteRedisKeys(`${this.config.QUEUE_PREFIX}:*`);
  }
}

export class TestWorkspace {
  private readonly keys = new Map<Role, string>();

  constructor(
    readonly hub: TestHub,
    readonly id: string,
    readonly adminKey: string,
  ) {
    this.keys.set('admin', adminKey);
  }

  /** An API key of the given role in this workspace (created once, then reused). */
  async key(role: Role): Promise<string> {
    const existing = this.keys.get(role);
    if (existing) return existing;
    const res = await this.hub.http().post('/v1/api-keys').set('Authorization', `Bearer ${this.adminKey}`).send({ name: role, role }).expect(201);
    this.keys.set(role, res.body.key);
    return res.body.key;
  }

  /** `Authorization` header value for a role. */
  async auth(role: Role = 'admin'): Promise<string> {
    return `Bearer ${await this.key(role)}`;
  }
}

async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

import type { NestExpressApplication } from '@nestjs/platform-express';
import { JobQueue, loadAppConfig } from '@optline/core';
import { FlowReconciler } from '@optline/flows';
import Redis from 'ioredis';
import { createHubApp } from '../../apps/hub/src/bootstrap';
import { FlowKit, settle, waitFor } from '../../libs/flows/testing/flow-e2e-kit';
import { TEST_REDIS_URL } from '../utils/test-database';
import { TestHub } from '../utils/test-hub';

/** 11:00 in Chicago. */
const START = new Date('2026-03-10T17:00:00Z');

/**
 * Every key of this hub's queues, gone — what FLUSHALL does to it. (A real FLUSHALL would also
 * wipe the other test files sharing this Redis, so the test removes exactly this hub's keys.)
 */
async function flushQueues(hub: TestHub): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${hub.config.QUEUE_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

const checkout = (phone: string, token: string) => ({
  type: 'checkout.updated' as const,
  dedupeKey: `chk-${token}`,
  contact: { phone },
  correlation: { checkoutToken: token },
  data: { checkoutUrl: `https://acme.test/c/${token}` },
});

describe('flow durability: Redis is only the clock', () => {
  it('resumes every run after the queues are flushed, without a lost or doubled message', async () => {
    const hub = await TestHub.start();
    try {
      hub.manualClock.set(START);
      const kit = new FlowKit(hub, await hub.createWorkspace());
      const cartFlow = await kit.activeTemplate('abandoned-cart');
      const saleFlow = await kit.activeTemplate('flash-sale');
      const people = await Promise.all(['+13125550190', '+13125550191', '+13125550192', '+13125550193'].map((p) => kit.contact(p, { timeZone: 'America/Chicago' })));
      for (const person of people) await kit.optIn(person.id);
      // Three carts waiting on their 1 h timer, one flash sale scheduled to start in 30 minutes.
      await kit.emit(people.slice(0, 3).map((p, i) => checkout(p.phone!, `f${i}`)));
      await hub.http().post(`/v1/flows/${saleFlow}/enroll`).set('Authorization', await kit.auth()).send({ contactIds: [people[3].id], startAt: '2026-03-10T17:30:00Z', data: { saleName: 'Flush sale' } }).expect(200);
      expect((await hub.get(JobQueue).queue('flow.step').getJobCounts()).delayed).toBe(4);

      expect(await flushQueues(hub)).toBeGreaterThan(0);
      expect((await hub.get(JobQueue).queue('flow.step').getJobCounts()).delayed).toBe(0);

      // The sale start and the carts' wake-up come; only the reconciler knows about them now.
      await kit.runUntil('2026-03-10T18:00:00Z');
      expect((await kit.outbound(people[3].id)).map((m) => m.created_at.toISOString())).toEqual(['2026-03-10T17:30:00.000Z']);
      for (const person of people.slice(0, 3)) expect((await kit.outbound(person.id)).map((m) => m.created_at.toISOString())).toEqual(['2026-03-10T18:00:00.000Z']);

      // Flush again between steps, reconcile several times: still exactly one message per step.
      await flushQueues(hub);
      await kit.runUntil('2026-03-11T18:00:00Z');
      for (let i = 0; i < 3; i++) await kit.tick();
      for (const person of people.slice(0, 3)) expect(await kit.outbound(person.id)).toHaveLength(2);
      expect((await kit.runsOf(cartFlow)).map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
      const keys = await hub.dataSource.query(`SELECT idempotency_key, count(*)::int AS n FROM message WHERE workspace_id = $1 GROUP BY 1 HAVING count(*) > 1`, [kit.ws.id]);
      expect(keys).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  it('a group enrolment is one job for the page; flushed before it runs, the reconciler still sends each person exactly one text', async () => {
    const hub = await TestHub.start();
    try {
      hub.manualClock.set(START);
      const kit = new FlowKit(hub, await hub.createWorkspace());
      const saleFlow = await kit.activeTemplate('flash-sale');
      const people = await Promise.all(Array.from({ length: 30 }, (_, i) => kit.contact(`+1312555${String(2000 + i)}`, { timeZone: 'America/Chicago' })));
      for (const person of people) await kit.optIn(person.id);
      const auth = await kit.auth();
      const group = (await hub.http().post('/v1/groups').set('Authorization', auth).send({ name: 'VIPs' }).expect(201)).body as { id: string };
      await hub.http().post(`/v1/groups/${group.id}/members`).set('Authorization', auth).send({ contactIds: people.map((p) => p.id) }).expect(200);
      const enrolled = await hub.http().post(`/v1/flows/${saleFlow}/enroll`).set('Authorization', auth).send({ groupId: group.id, startAt: '2026-03-10T17:30:00Z', data: { saleName: 'VIP sale' } }).expect(200);
      expect(enrolled.body.enrolled).toBe(30);
      // One delayed job wakes the whole page, not one per run.
      expect((await hub.get(JobQueue).queue('flow.step').getJobCounts()).delayed).toBe(1);

      await flushQueues(hub);
      await kit.runUntil('2026-03-10T18:00:00Z');
      for (let i = 0; i < 2; i++) await kit.tick();
      for (const person of people) expect((await kit.outbound(person.id)).map((m) => m.created_at.toISOString())).toEqual(['2026-03-10T17:30:00.000Z']);
      expect(new Set((await kit.runsOf(saleFlow)).map((r) => `${r.status}:${r.step_id}`))).toEqual(new Set(['waiting:wait-20h']));
    } finally {
      await hub.close();
    }
  });

  it('re-running a step whose commit was lost (a crash after the send) does not send twice', async () => {
    const hub = await TestHub.start();
    try {
      hub.manualClock.set(START);
      const kit = new FlowKit(hub, await hub.createWorkspace());
      const flowId = await kit.activeTemplate('abandoned-cart');
      const dana = await kit.contact('+13125550194', { timeZone: 'America/Chicago' });
      await kit.optIn(dana.id);
      await kit.emit([checkout(dana.phone!, 'crash')]);
      await kit.runUntil('2026-03-10T18:00:00Z');
      const [run] = await kit.runsOf(flowId);
      expect(run).toMatchObject({ step_id: 'wait-24h', status: 'waiting' });
      // Put the row back where it was before the send's transaction, as if the worker died before committing.
      await hub.dataSource.query(`UPDATE flow_run SET step_id = 'nudge-1', status = 'active', wait_kind = NULL, wake_at = $2 WHERE id = $1`, [run.id, hub.manualClock.now()]);
      await kit.tick();
      await kit.tick();
      expect(await kit.outbound(dana.id)).toHaveLength(1);
      expect((await kit.runsOf(flowId))[0]).toMatchObject({ step_id: 'wait-24h', status: 'waiting' });
    } finally {
      await hub.close();
    }
  });

  it('a worker killed mid-flow and started again resumes the runs without loss or doubling', async () => {
    // The API process alone; workers are separate processes that come and go.
    const hub = await TestHub.start({ env: { HUB_ROLE: 'api' } });
    const workerConfig = () =>
      loadAppConfig({
        DATABASE_URL: hub.config.DATABASE_URL,
        REDIS_URL: hub.config.REDIS_URL,
        QUEUE_PREFIX: hub.config.QUEUE_PREFIX,
        OPTLINE_ENCRYPTION_KEY: hub.config.OPTLINE_ENCRYPTION_KEY,
        PUBLIC_URL: hub.config.PUBLIC_URL,
        LOG_LEVEL: 'silent',
        DATABASE_POOL_SIZE: '5',
        HUB_ROLE: 'worker',
      });
    const startWorker = async (): Promise<NestExpressApplication> => {
      const app = await createHubApp({ config: workerConfig(), clock: hub.clock });
      await app.init();
      return app;
    };
    let worker = await startWorker();
    try {
      hub.manualClock.set(START);
      const kit = new FlowKit(hub, await hub.createWorkspace());
      const flowId = await kit.activeTemplate('abandoned-cart');
      const people = await Promise.all(['+13125550195', '+13125550196'].map((p) => kit.contact(p, { timeZone: 'America/Chicago' })));
      for (const person of people) await kit.optIn(person.id);
      await kit.emit(people.map((p, i) => checkout(p.phone!, `w${i}`)));
      await kit.runUntil('2026-03-10T18:00:00Z');
      for (const person of people) expect(await kit.outbound(person.id)).toHaveLength(1);

      // Kill the worker while the runs sleep on their 24 h timer; time passes with no worker.
      await worker.close();
      hub.manualClock.set('2026-03-11T18:00:00Z');
      await hub.get(FlowReconciler).reconcile();
      const pending = await hub.get(JobQueue).queue('flow.step').getJobCounts();
      expect(pending.waiting).toBe(2); // re-armed, but nobody is working
      for (const person of people) expect(await kit.outbound(person.id)).toHaveLength(1);

      // A new worker picks the work up (its boot-time reconcile finds nothing more to add).
      worker = await startWorker();
      await settle(hub);
      await waitFor('the second nudges', async () => (await kit.runsOf(flowId)).every((r) => r.status === 'completed'));
      await settle(hub);
      for (const person of people) {
        expect((await kit.outbound(person.id)).map((m) => [m.created_at.toISOString(), m.status])).toEqual([
          ['2026-03-10T18:00:00.000Z', 'sent'],
          ['2026-03-11T18:00:00.000Z', 'sent'],
        ]);
      }
    } finally {
      await worker.close().catch(() => undefined);
      await hub.close();
    }
  });
});

import { JobQueue, UserService } from '@optline/core';
import { randomUUID } from 'node:crypto';
import { Browser } from '../utils/browser';
import { pollUntil, TestHub, TestWorkspace } from '../utils';

/**
 * Operators' view of the queues: Bull Board at /admin/queues for signed-in admins only, and the
 * read-only /v1/queues API with its one change, retrying a failed job.
 */
describe('queues: dashboard and API', () => {
  let hub: TestHub;
  let ws: TestWorkspace;

  const person = async (role: 'admin' | 'support') => {
    const email = `${role}-${randomUUID().slice(0, 8)}@acme.test`;
    await hub.get(UserService).create({ workspaceId: ws.id, email, displayName: role, role, password: 'a long enough passphrase 42' });
    const browser = new Browser(hub);
    await browser.signIn(email, 'a long enough passphrase 42');
    return browser;
  };

  beforeAll(async () => {
    hub = await TestHub.start();
    ws = await hub.createWorkspace();
  });
  afterAll(() => hub.close());

  it('serves the dashboard to a signed-in admin and refuses anyone else', async () => {
    const anonymous = await hub.http().get('/admin/queues').expect(401);
    expect(anonymous.text).toContain('Sign in');
    // An API key is not a sign-in: the dashboard is for people at the console.
    await hub.http().get('/admin/queues').set('Authorization', await ws.auth()).expect(401);
    const support = await person('support');
    expect((await support.get('/admin/queues')).status).toBe(403);
    expect((await support.get('/admin/queues/api/queues')).status).toBe(403);

    const admin = await person('admin');
    const page = await admin.get('/admin/queues');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Optline queues');
    const api = await admin.get('/admin/queues/api/queues');
    expect(api.status).toBe(200);
    expect((api.body.queues as { name: string }[]).map((q) => q.name).sort()).toEqual(['events', 'flow-steps', 'imports', 'maintenance', 'plugin-tasks', 'sends', 'webhooks']);
    // A change from another site is refused even with the admin's cookie.
    const crossSite = await admin.send('put', '/admin/queues/api/queues/webhooks/pause', undefined, { headers: { Origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(await hub.get(JobQueue).queue('webhook.deliver').isPaused()).toBe(false);
  });

  it('counts a real failed job, lists it for its workspace only, and retries it on an admin’s request', async () => {
    const queue = hub.get(JobQueue).queue('webhook.deliver');
    // A job whose payload no processor accepts fails for good (it is discarded, not retried).
    const job = await queue.add('webhook.deliver', { workspaceId: ws.id, deliveryId: 'not-a-uuid' }, { jobId: `broken-${randomUUID()}`, attempts: 3 });
    await pollUntil(() => job.getState(), (s) => s === 'failed', 10_000, 'job failed');

    const counts = await hub.http().get('/v1/queues').set('Authorization', await ws.auth('support')).expect(200);
    const webhooks = (counts.body.data as { name: string; failed: number }[]).find((q) => q.name === 'webhooks')!;
    expect(webhooks.failed).toBe(1);

    const listed = await hub.http().get('/v1/queues/webhooks/failed').set('Authorization', await ws.auth('support')).expect(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: job.id, name: 'webhook.deliver', attemptsMade: 1, failedReason: expect.stringContaining('deliveryId') })]);
    const stranger = await hub.createWorkspace({ name: 'Stranger' });
    expect((await hub.http().get('/v1/queues/webhooks/failed').set('Authorization', await stranger.auth()).expect(200)).body.data).toEqual([]);
    await hub.http().post(`/v1/queues/webhooks/failed/${job.id}/retry`).set('Authorization', await stranger.auth()).expect(404);
    await hub.http().post(`/v1/queues/webhooks/failed/${job.id}/retry`).set('Authorization', await ws.auth('support')).expect(403);
    const unknownQueue = await hub.http().get('/v1/queues/nope/failed').set('Authorization', await ws.auth()).expect(404);
    expect(unknownQueue.body.code).toBe('queue_not_found');
    const malformed = await hub.http().get('/v1/queues/NOT_A_QUEUE!/failed').set('Authorization', await ws.auth()).expect(400);
    expect(malformed.body.details[0].field).toBe('name');

    // The cause is fixed (here: the payload), and the admin retries: the job runs again and completes.
    await job.update({ workspaceId: ws.id, deliveryId: randomUUID() });
    const retried = await hub.http().post(`/v1/queues/webhooks/failed/${job.id}/retry`).set('Authorization', await ws.auth()).expect(202);
    expect(retried.body.id).toBe(job.id);
    await pollUntil(async () => (await queue.getJob(job.id))!.getState(), (s) => s === 'completed', 10_000, 'retried job completed');
    const after = await hub.http().get('/v1/queues').set('Authorization', await ws.auth()).expect(200);
    expect((after.body.data as { name: string; failed: number }[]).find((q) => q.name === 'webhooks')!.failed).toBe(0);
    await hub.http().post(`/v1/queues/webhooks/failed/${job.id}/retry`).set('Authorization', await ws.auth()).expect(409);
  });
});

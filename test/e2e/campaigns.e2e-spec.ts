import { CampaignMaintenance, CampaignRunner } from '@optline/audience';
import { ConsentService } from '@optline/consent';
import { JobQueue } from '@optline/core';
import { MessageReconciler } from '@optline/messaging';
import Redis from 'ioredis';
import { FlowKit, settle } from '../../libs/flows/testing/flow-e2e-kit';
import { TEST_REDIS_URL } from '../utils/test-database';
import { TestHub } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/** 11:00 in Chicago on a Tuesday: inside every sending window. */
const START = new Date('2026-03-10T16:00:00Z');

async function flushQueues(hub: TestHub): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${hub.config.QUEUE_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const phone = (i: number) => `+1312555${String(1000 + i).padStart(4, '0')}`;

describe('segments and campaigns', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(START);
  });
  afterAll(() => hub.close());

  /** n contacts in Chicago, opted in to marketing unless `optedOut`/`suppressed` say otherwise. */
  async function people(kit: FlowKit, n: number, options: { optedOut?: (i: number) => boolean; suppressed?: (i: number) => boolean; offset?: number } = {}) {
    const made = [];
    for (let i = 0; i < n; i++) {
      const contact = await kit.contact(phone((options.offset ?? 0) + i), { timeZone: 'America/Chicago', firstName: `P${i}` });
      await kit.optIn(contact.id, ['marketing']);
      if (options.optedOut?.(i)) await hub.get(ConsentService).record(kit.ws.id, { contactId: contact.id, types: ['marketing'], state: 'opted_out', source: 'api', evidence: {} });
      if (options.suppressed?.(i)) await kit.http().post('/v1/suppression').set('Authorization', await kit.auth()).send({ phone: contact.phone, reason: 'asked by phone' }).expect(200);
      made.push(contact);
    }
    return made;
  }

  /** The campaign timer also runs in the background: wait for a count rather than assume who ran the page. */
  async function countReaches(workspaceId: string, campaignId: string, n: number): Promise<void> {
    await waitFor(`${n} messages of the campaign`, async () => (await campaignMessages(workspaceId, campaignId)).length === n);
  }

  async function campaignMessages(workspaceId: string, campaignId: string) {
    return hub.dataSource.query(
      `SELECT contact_id, status, reason, origin, idempotency_key, deferred_until FROM message WHERE workspace_id = $1 AND origin->>'campaignId' = $2 AND direction = 'outbound' ORDER BY contact_id`,
      [workspaceId, campaignId],
    ) as Promise<{ contact_id: string; status: string; reason: string | null; origin: Record<string, unknown>; idempotency_key: string; deferred_until: Date | null }[]>;
  }

  it('a segment counts what its conditions say: attributes, commerce facts, consent and its source, suppression, groups, zone, created date', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const a = await kit.contact('+13125550201', { timeZone: 'America/Chicago', attributes: { ordersCount: 5, lastOrderAt: '2026-03-01T10:00:00Z', totalSpent: '620.50', tags: ['vip', 'wine'], tier: 'gold' } });
    const b = await kit.contact('+13125550202', { timeZone: 'America/New_York', attributes: { ordersCount: 1, lastOrderAt: '2025-06-01T10:00:00Z', totalSpent: 40, tier: 'silver' } });
    const c = await kit.contact('+13125550203', { timeZone: 'America/Chicago', attributes: { ordersCount: 'not a number', lastOrderAt: 'soon' } });
    await hub.get(ConsentService).record(kit.ws.id, { contactId: a.id, types: ['marketing'], state: 'opted_in', source: 'web_form', evidence: {} });
    await hub.get(ConsentService).record(kit.ws.id, { contactId: b.id, types: ['marketing'], state: 'opted_in', source: 'import', evidence: {} });
    await hub.get(ConsentService).record(kit.ws.id, { contactId: c.id, types: ['marketing'], state: 'opted_out', source: 'api', evidence: {} });
    await kit.http().post('/v1/suppression').set('Authorization', await kit.auth()).send({ phone: b.phone, reason: 'asked' }).expect(200);
    const group = (await kit.http().post('/v1/groups').set('Authorization', auth).send({ name: 'VIP' }).expect(201)).body;
    await kit.http().post(`/v1/groups/${group.id}/members`).set('Authorization', auth).send({ contactIds: [a.id, c.id] }).expect(200);

    const count = async (conditions: unknown) => (await kit.http().post('/v1/segments/preview').set('Authorization', auth).send({ conditions }).expect(200)).body.count;
    expect(await count({ '==': [{ var: 'consent.marketing' }, 'opted_in'] })).toBe(2);
    expect(await count({ '==': [{ var: 'consent.transactional' }, 'none'] })).toBe(3);
    expect(await count({ '!=': [{ var: 'consent.marketing' }, 'opted_out'] })).toBe(2);
    expect(await count({ '==': [{ var: 'consentSource.marketing' }, 'web_form'] })).toBe(1);
    expect(await count({ '!=': [{ var: 'consentSource.marketing' }, 'web_form'] })).toBe(2);
    expect(await count({ in: [{ var: 'consentSource.marketing' }, ['web_form', 'api']] })).toBe(2);
    expect(await count({ '==': [{ var: 'consentSource.transactional' }, 'web_form'] })).toBe(0);
    expect(await count({ '>=': [{ var: 'contact.ordersCount' }, 2] })).toBe(1); // c's "not a number" is unknown, not an error
    expect(await count({ '>': [{ var: 'contact.lastOrderAt' }, { daysAgo: 30 }] })).toBe(1);
    expect(await count({ '>': [{ var: 'contact.attributes.totalSpent' }, 100] })).toBe(1);
    expect(await count({ in: ['vip', { var: 'contact.tags' }] })).toBe(1);
    expect(await count({ in: [{ var: 'contact.tier' }, ['gold', 'silver']] })).toBe(2);
    expect(await count({ inGroup: group.id })).toBe(2);
    expect(await count({ '!': { inGroup: group.id } })).toBe(1);
    expect(await count({ '==': [{ var: 'suppressed' }, true] })).toBe(1);
    expect(await count({ '==': [{ var: 'contact.timeZone' }, 'America/Chicago'] })).toBe(2);
    expect(await count({ '<': [{ var: 'contact.createdAt' }, { daysAgo: 1 }] })).toBe(0);
    expect(await count({ and: [{ '==': [{ var: 'consent.marketing' }, 'opted_in'] }, { '==': [{ var: 'suppressed' }, false] }, { inGroup: group.id }] })).toBe(1);
    // Values are bound, never spliced into the SQL.
    expect(await count({ '==': [{ var: 'contact.tier' }, "gold' OR '1'='1"] })).toBe(0);

    // Saved: count by id; bad definitions are a 422 naming the place.
    const saved = (await kit.http().post('/v1/segments').set('Authorization', auth).send({ name: 'Repeat buyers', conditions: { '>=': [{ var: 'contact.ordersCount' }, 1] } }).expect(201)).body;
    expect((await kit.http().get(`/v1/segments/${saved.id}/count`).set('Authorization', auth).expect(200)).body.count).toBe(2);
    const bad = await kit.http().post('/v1/segments/preview').set('Authorization', auth).send({ conditions: { and: [{ '==': [{ var: 'order.total' }, 1] }] } }).expect(422);
    expect(bad.body.details[0].field).toBe('conditions.and[0].==[0]');
    await kit.http().post('/v1/segments/preview').set('Authorization', auth).send({ conditions: { '<': [{ var: 'consent.marketing' }, 'x'] } }).expect(422);
    await kit.http().post('/v1/segments').set('Authorization', auth).send({ name: 'Repeat buyers', conditions: true }).expect(409);
    await kit.http().post('/v1/segments').set('Authorization', await kit.auth('support')).send({ name: 'Nope', conditions: true }).expect(403);

    // Another workspace sees none of it.
    const other = new FlowKit(hub, await hub.createWorkspace());
    await other.http().get(`/v1/segments/${saved.id}`).set('Authorization', await other.auth()).expect(404);
    await other.http().get(`/v1/segments/${saved.id}/count`).set('Authorization', await other.auth()).expect(404);
    const foreign = await other.http().post('/v1/segments/preview').set('Authorization', await other.auth()).send({ conditions: { inGroup: group.id } }).expect(422);
    expect(foreign.body.details[0].field).toBe('conditions');
    expect((await other.http().post('/v1/segments/preview').set('Authorization', await other.auth()).send({ conditions: true }).expect(200)).body.count).toBe(0);
  });

  it('an import that completes refreshes the statistics segment counts are planned with', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const lastAnalyze = async () => (await hub.dataSource.query(`SELECT coalesce(greatest(last_analyze, last_autoanalyze), 'epoch') AS at FROM pg_stat_user_tables WHERE relname = 'consent_state'`))[0].at as Date;
    const before = await lastAnalyze();
    const started = await kit.http().post('/v1/contacts/import?consentTypes=marketing').set('Authorization', await kit.auth()).set('Content-Type', 'text/csv').send('phone,consent,consent_timestamp\n+13125550801,opted_in,2026-03-01T12:00:00Z\n+13125550802,opted_in,2026-03-01T12:00:00Z\n').expect(202);
    await waitFor('the import to complete', async () => (await kit.http().get(`/v1/imports/${started.body.id}`).set('Authorization', await kit.auth())).body.status === 'completed');
    await waitFor('consent_state analyzed', async () => (await lastAnalyze()).getTime() > before.getTime());
  });

  it('region beyond the zone: the state or province of the number\'s area code, and its country', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const chicago = await kit.contact('+13125550142');
    const losAngeles = await kit.contact('+12135550142');
    const toronto = await kit.contact('+14165550142');
    const london = await kit.contact('+442079460142');
    const count = async (conditions: unknown) => (await kit.http().post('/v1/segments/preview').set('Authorization', auth).send({ conditions }).expect(200)).body.count;
    expect(await count({ '==': [{ var: 'phone.region' }, 'IL'] })).toBe(1);
    expect(await count({ in: [{ var: 'phone.region' }, ['CA', 'ON']] })).toBe(2);
    expect(await count({ '!=': [{ var: 'phone.region' }, 'IL'] })).toBe(3);
    expect(await count({ '==': [{ var: 'phone.country' }, 'US'] })).toBe(2);
    expect(await count({ '==': [{ var: 'phone.country' }, 'CA'] })).toBe(1);
    expect(await count({ in: [{ var: 'phone.country' }, ['GB', 'CA']] })).toBe(2);
    // With an address attribute as well: a region is either.
    await kit.http().patch(`/v1/contacts/${london.id}`).set('Authorization', auth).send({ attributes: { state: 'IL' } }).expect(200);
    expect(await count({ or: [{ '==': [{ var: 'phone.region' }, 'IL'] }, { '==': [{ var: 'contact.state' }, 'IL'] }] })).toBe(2);
    const saved = (await kit.http().post('/v1/segments').set('Authorization', auth).send({ name: 'Illinois', conditions: { '==': [{ var: 'phone.region' }, 'IL'] } }).expect(201)).body;
    expect((await kit.http().get(`/v1/segments/${saved.id}/count`).set('Authorization', auth).expect(200)).body.count).toBe(1);
    const bad = await kit.http().post('/v1/segments/preview').set('Authorization', auth).send({ conditions: { '<': [{ var: 'phone.region' }, 'IL'] } }).expect(422);
    expect(bad.body.details[0].field).toBe('conditions.<');
    expect([chicago, losAngeles, toronto].every((c) => c.phone)).toBe(true);
  });

  it('a one-message campaign to a segment with an exclusion: scheduled in the background, every message carries its campaignId, blocked ones counted by reason, then completed', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const crowd = await people(kit, 12, { optedOut: (i) => i % 4 === 1, suppressed: (i) => i === 2, offset: 100 });
    const excluded = (await kit.http().post('/v1/groups').set('Authorization', auth).send({ name: 'Staff' }).expect(201)).body;
    await kit.http().post(`/v1/groups/${excluded.id}/members`).set('Authorization', auth).send({ contactIds: [crowd[0].id] }).expect(200);
    const segment = (await kit.http().post('/v1/segments').set('Authorization', auth).send({ name: 'Chicago', conditions: { '==': [{ var: 'contact.timeZone' }, 'America/Chicago'] } }).expect(201)).body;

    const created = await kit
      .http()
      .post('/v1/campaigns')
      .set('Authorization', auth)
      .send({ name: 'Spring sale', audience: { segmentId: segment.id, excludeGroupIds: [excluded.id] }, content: { kind: 'message', messageType: 'marketing', body: 'Hi {{ contact.firstName }}: 20% off. Reply STOP to opt out.' } })
      .expect(201);
    expect(created.body.status).toBe('draft');
    const id = created.body.id;
    // A draft sends nothing.
    await hub.get(CampaignMaintenance).tick();
    expect(await campaignMessages(kit.ws.id, id)).toHaveLength(0);

    const scheduled = await kit.http().post(`/v1/campaigns/${id}/schedule`).set('Authorization', auth).send({}).expect(200);
    expect(scheduled.body.status).toBe('scheduled');
    await kit.http().post(`/v1/campaigns/${id}/schedule`).set('Authorization', auth).send({}).expect(409);
    await hub.get(CampaignMaintenance).tick();
    await settle(hub);
    await hub.get(CampaignMaintenance).tick();
    const progress = (await kit.http().get(`/v1/campaigns/${id}/progress`).set('Authorization', auth).expect(200)).body;
    expect(progress).toMatchObject({ status: 'completed', audienceSize: 11, resolved: 11, queued: 0, deferred: 0, remaining: 0 });
    // 11 after the exclusion; 3 of them opted out (i = 1, 5, 9), 1 suppressed (i = 2): 7 sent.
    expect(progress.sent).toBe(7);
    expect(progress.blockedByReason).toEqual({ opted_out: 3, suppressed: 1 });

    const messages = await campaignMessages(kit.ws.id, id);
    expect(messages).toHaveLength(11);
    expect(messages.every((m) => m.idempotency_key === `campaign:${id}:${m.contact_id}`)).toBe(true);
    expect(messages.some((m) => m.contact_id === crowd[0].id)).toBe(false);
    const listed = await kit.http().get(`/v1/messages?campaignId=${id}&limit=100`).set('Authorization', auth).expect(200);
    expect(listed.body.data).toHaveLength(11);
    const [event] = await hub.dataSource.query(`SELECT type, correlation FROM trigger_event WHERE workspace_id = $1 AND type = 'campaign.scheduled'`, [kit.ws.id]);
    expect(event).toMatchObject({ type: 'campaign.scheduled', correlation: { campaignId: id } });

    // Another workspace cannot see or act on it.
    const other = new FlowKit(hub, await hub.createWorkspace());
    await other.http().get(`/v1/campaigns/${id}`).set('Authorization', await other.auth()).expect(404);
    await other.http().post(`/v1/campaigns/${id}/cancel`).set('Authorization', await other.auth()).expect(404);
    await other.http().post('/v1/campaigns').set('Authorization', await other.auth()).send({ name: 'x', audience: { segmentId: segment.id }, content: { kind: 'message', messageType: 'marketing', body: 'x' } }).expect(422);
  });

  it('throttled: pause stops it, resume continues from the checkpoint, cancel withdraws what was not handed over', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    await people(kit, 12, { offset: 200 });
    const segment = (await kit.http().post('/v1/segments').set('Authorization', auth).send({ name: 'All opted in', conditions: { '==': [{ var: 'consent.marketing' }, 'opted_in'] } }).expect(201)).body;
    const id = (
      await kit
        .http()
        .post('/v1/campaigns')
        .set('Authorization', auth)
        .send({ name: 'Slow', throttlePerMinute: 4, audience: { segmentId: segment.id }, content: { kind: 'message', messageType: 'marketing', body: 'Slow and steady. Reply STOP to opt out.' } })
        .expect(201)
    ).body.id;
    await kit.http().post(`/v1/campaigns/${id}/schedule`).set('Authorization', auth).send({ schedule: { mode: 'now' } }).expect(200);
    const runner = hub.get(CampaignRunner);
    await runner.advance(id);
    await countReaches(kit.ws.id, id, 4);

    await kit.http().post(`/v1/campaigns/${id}/pause`).set('Authorization', auth).expect(200);
    hub.manualClock.advance(60_000);
    await runner.advance(id);
    expect(await campaignMessages(kit.ws.id, id)).toHaveLength(4);

    expect((await kit.http().post(`/v1/campaigns/${id}/resume`).set('Authorization', auth).expect(200)).body.status).toBe('sending');
    await runner.advance(id);
    await countReaches(kit.ws.id, id, 8);
    await settle(hub);
    const mid = (await kit.http().get(`/v1/campaigns/${id}/progress`).set('Authorization', auth).expect(200)).body;
    expect(mid).toMatchObject({ status: 'sending', audienceSize: 12, resolved: 8, sent: 8, remaining: 4 });

    // Cancel while messages of the next minute sit queued (their jobs lost, as if not yet run).
    hub.manualClock.advance(60_000);
    await hub.get(JobQueue).queue('sms.send').pause();
    await runner.advance(id);
    await countReaches(kit.ws.id, id, 12);
    await kit.http().post(`/v1/campaigns/${id}/cancel`).set('Authorization', auth).expect(200);
    await hub.get(JobQueue).queue('sms.send').resume();
    await settle(hub);
    const final = await campaignMessages(kit.ws.id, id);
    expect(final.filter((m) => m.status === 'sent')).toHaveLength(8);
    expect(final.filter((m) => m.status === 'blocked' && m.reason === 'campaign_cancelled')).toHaveLength(4);
    await kit.http().post(`/v1/campaigns/${id}/resume`).set('Authorization', auth).expect(409);
    expect((await kit.http().get(`/v1/campaigns/${id}/progress`).set('Authorization', auth).expect(200)).body).toMatchObject({ status: 'cancelled', remaining: 0, blockedByReason: { campaign_cancelled: 4 } });
  });

  it('one text for everyone: a page is written in one statement, people who cannot be texted recorded blocked at once, the rest still checked when they are sent', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const crowd = await people(kit, 6, { optedOut: (i) => i === 1, suppressed: (i) => i === 2, offset: 700 });
    const group = (await kit.http().post('/v1/groups').set('Authorization', auth).send({ name: 'Six' }).expect(201)).body;
    await kit.http().post(`/v1/groups/${group.id}/members`).set('Authorization', auth).send({ contactIds: crowd.map((c) => c.id) }).expect(200);
    const id = (await kit.http().post('/v1/campaigns').set('Authorization', auth).send({ name: 'Flash', audience: { groupId: group.id }, content: { kind: 'message', messageType: 'marketing', body: '{{ workspace.brandName }}: flash sale today. Reply STOP to opt out.' } }).expect(201)).body.id;
    await kit.http().post(`/v1/campaigns/${id}/schedule`).set('Authorization', auth).send({}).expect(200);
    const sends = hub.get(JobQueue).queue('sms.send');
    await sends.pause();
    try {
      await hub.get(CampaignRunner).advance(id);
      await countReaches(kit.ws.id, id, 6);
      const written = await hub.dataSource.query(`SELECT contact_id, status, reason, policy_trace, body FROM message WHERE workspace_id = $1 AND origin->>'campaignId' = $2`, [kit.ws.id, id]);
      const of = (i: number) => written.find((m: { contact_id: string }) => m.contact_id === crowd[i].id);
      expect(of(1)).toMatchObject({ status: 'blocked', reason: 'opted_out' });
      expect(of(1).policy_trace.at(-1)).toMatchObject({ policy: 'consent', outcome: 'block', reason: 'opted_out', detail: { checkedAt: 'resolution', state: 'opted_out' } });
      expect(of(2)).toMatchObject({ status: 'blocked', reason: 'suppressed' });
      expect(written.filter((m: { status: string }) => m.status === 'queued')).toHaveLength(4);
      expect(written.every((m: { body: string }) => m.body.includes('flash sale today'))).toBe(true);
      // Opted out after the page was written, before the send: the send-time check blocks it.
      await hub.get(ConsentService).record(kit.ws.id, { contactId: crowd[3].id, types: ['marketing'], state: 'opted_out', source: 'api', evidence: {} });
    } finally {
      await sends.resume();
    }
    await settle(hub);
    await hub.get(CampaignMaintenance).tick();
    const after = await campaignMessages(kit.ws.id, id);
    expect(after.filter((m) => m.status === 'sent').map((m) => m.contact_id).sort()).toEqual([crowd[0].id, crowd[4].id, crowd[5].id].sort());
    const [late] = await hub.dataSource.query(`SELECT status, reason, policy_trace FROM message WHERE workspace_id = $1 AND contact_id = $2 AND origin->>'campaignId' = $3`, [kit.ws.id, crowd[3].id, id]);
    expect(late).toMatchObject({ status: 'blocked', reason: 'opted_out' });
    expect(JSON.stringify(late.policy_trace)).not.toContain('resolution');
    await waitFor('the campaign to complete', async () => {
      await hub.get(CampaignMaintenance).tick();
      return (await kit.http().get(`/v1/campaigns/${id}/progress`).set('Authorization', auth)).body.status === 'completed';
    });
    expect((await kit.http().get(`/v1/campaigns/${id}/progress`).set('Authorization', auth).expect(200)).body).toMatchObject({ sent: 3, blockedByReason: { opted_out: 2, suppressed: 1 } });
  });

  it('two campaigns due together take turns on one worker: a large one does not hold the worker while another waits', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const group = (await kit.http().post('/v1/groups').set('Authorization', auth).send({ name: 'Turns' }).expect(201)).body;
    const crowd = await people(kit, 12, { offset: 600 });
    await kit.http().post(`/v1/groups/${group.id}/members`).set('Authorization', auth).send({ contactIds: crowd.map((c) => c.id) }).expect(200);
    // The background timer stands still, so this test's passes are the only ones.
    const timer = hub.get(CampaignMaintenance)['task'];
    await timer.stop();
    try {
      const ids: string[] = [];
      for (const name of ['First', 'Second']) {
        const id = (await kit.http().post('/v1/campaigns').set('Authorization', auth).send({ name, audience: { groupId: group.id }, content: { kind: 'message', messageType: 'marketing', body: `${name} sale. Reply STOP to opt out.` } }).expect(201)).body.id;
        await kit.http().post(`/v1/campaigns/${id}/schedule`).set('Authorization', auth).send({}).expect(200);
        ids.push(id);
      }
      const resolved = async () => (await hub.dataSource.query(`SELECT id, resolved_count FROM campaign WHERE id = ANY($1) ORDER BY created_at`, [ids])).map((r: { resolved_count: number }) => r.resolved_count);
      // Pages of 4 and a turn of one page: each pass gives every due campaign one page in turn.
      const runner = hub.get(CampaignRunner);
      await runner.runDue({ pageSize: 4, turnMs: 0 });
      expect(await resolved()).toEqual([4, 4]);
      await runner.runDue({ pageSize: 4, turnMs: 0 });
      expect(await resolved()).toEqual([8, 8]);
      // Alone, a campaign keeps the worker: the rest of the second one in a single pass.
      await hub.dataSource.query(`UPDATE campaign SET status = 'paused' WHERE id = $1`, [ids[0]]);
      await runner.runDue({ pageSize: 4, turnMs: 0 });
      expect(await resolved()).toEqual([8, 12]);
    } finally {
      timer.start();
    }
  });

  it('a crash after a page was handed over but before its checkpoint, and a Redis flush: every contact gets exactly one text', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const group = (await kit.http().post('/v1/groups').set('Authorization', auth).send({ name: 'Big' }).expect(201)).body;
    const crowd = await people(kit, 30, { offset: 300 });
    await kit.http().post(`/v1/groups/${group.id}/members`).set('Authorization', auth).send({ contactIds: crowd.map((c) => c.id) }).expect(200);
    const id = (
      await kit
        .http()
        .post('/v1/campaigns')
        .set('Authorization', auth)
        .send({ name: 'Crash', throttlePerMinute: 10, audience: { groupId: group.id }, content: { kind: 'message', messageType: 'marketing', body: 'Once only. Reply STOP to opt out.' } })
        .expect(201)
    ).body.id;
    await kit.http().post(`/v1/campaigns/${id}/schedule`).set('Authorization', auth).send({}).expect(200);
    await hub.get(JobQueue).queue('sms.send').pause();
    await hub.get(CampaignRunner).advance(id);
    await countReaches(kit.ws.id, id, 10);
    // The worker "dies": its checkpoint never written (cursor back, throttle window empty), its
    // lease left to expire, and Redis loses every job.
    await hub.dataSource.query(`UPDATE campaign SET cursor = NULL, resolved_count = 0, window_count = 0, window_started_at = NULL, lease_until = now() - interval '1 second' WHERE id = $1`, [id]);
    await flushQueues(hub);
    await hub.get(JobQueue).queue('sms.send').resume();

    for (let minute = 0; minute < 6; minute++) {
      hub.manualClock.advance(60_000);
      await hub.get(MessageReconciler).rearmDue();
      await hub.get(CampaignMaintenance).tick();
      await settle(hub);
    }
    await waitFor('the campaign to complete', async () => {
      await hub.get(CampaignMaintenance).tick();
      const [row] = await hub.dataSource.query(`SELECT status FROM campaign WHERE id = $1`, [id]);
      return row.status === 'completed';
    });
    const messages = await campaignMessages(kit.ws.id, id);
    expect(messages).toHaveLength(30);
    expect(new Set(messages.map((m) => m.contact_id)).size).toBe(30);
    expect(messages.every((m) => m.status === 'sent')).toBe(true);
  });

  it('at a local time: each recipient\'s message waits for 10:00 in their own zone', async () => {
    hub.manualClock.set(new Date('2026-03-09T12:00:00Z'));
    const kit = new FlowKit(hub, await hub.createWorkspace({ timeZone: 'America/Chicago' }));
    const auth = await kit.auth('marketing');
    const zones = ['America/New_York', 'America/Los_Angeles', 'Europe/Berlin'];
    const crowd = [];
    for (const [i, zone] of zones.entries()) {
      const contact = await kit.contact(phone(400 + i), { timeZone: zone });
      await kit.optIn(contact.id, ['marketing']);
      crowd.push(contact);
    }
    const segment = (await kit.http().post('/v1/segments').set('Authorization', auth).send({ name: 'Everyone', conditions: { '!!': [{ var: 'contact.phone' }] } }).expect(201)).body;
    const id = (
      await kit
        .http()
        .post('/v1/campaigns')
        .set('Authorization', auth)
        .send({ name: 'Morning', audience: { segmentId: segment.id }, content: { kind: 'message', messageType: 'marketing', body: 'Good morning! Reply STOP to opt out.' }, schedule: { mode: 'local', localTime: '2026-03-10T10:00' } })
        .expect(201)
    ).body.id;
    const scheduled = (await kit.http().post(`/v1/campaigns/${id}/schedule`).set('Authorization', auth).send({}).expect(200)).body;
    // 10:00 comes first on Kiritimati (UTC+14): resolution starts then.
    expect(scheduled.startAt).toBe('2026-03-09T20:00:00.000Z');
    await hub.get(CampaignMaintenance).tick();
    expect(await campaignMessages(kit.ws.id, id)).toHaveLength(0);

    hub.manualClock.set(new Date('2026-03-09T20:00:00Z'));
    await hub.get(CampaignMaintenance).tick();
    await settle(hub);
    const waiting = await campaignMessages(kit.ws.id, id);
    const at = new Map(waiting.map((m) => [m.contact_id, m.deferred_until?.toISOString()]));
    expect(crowd.map((c) => at.get(c.id))).toEqual(['2026-03-10T14:00:00.000Z', '2026-03-10T17:00:00.000Z', '2026-03-10T09:00:00.000Z']);

    for (const [instant, sent] of [['2026-03-10T09:00:00Z', 1], ['2026-03-10T14:00:00Z', 2], ['2026-03-10T17:00:00Z', 3]] as const) {
      hub.manualClock.set(new Date(instant));
      await hub.get(MessageReconciler).rearmDue();
      await settle(hub);
      expect((await campaignMessages(kit.ws.id, id)).filter((m) => m.status === 'sent')).toHaveLength(sent);
    }
    hub.manualClock.set(START);
  });

  it('a segment as a flow condition, read when it is evaluated; a flow campaign\'s messages carry its campaignId', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const gold = await kit.contact(phone(500), { timeZone: 'America/Chicago', attributes: { tier: 'gold' } });
    const silver = await kit.contact(phone(501), { timeZone: 'America/Chicago', attributes: { tier: 'silver' } });
    for (const c of [gold, silver]) await kit.optIn(c.id, ['marketing']);
    const segment = (await kit.http().post('/v1/segments').set('Authorization', auth).send({ name: 'Gold', conditions: { '==': [{ var: 'contact.tier' }, 'gold'] } }).expect(201)).body;
    const flowDoc = (filter?: unknown) => ({
      name: filter ? 'Gold forms' : 'Tiered offer',
      messageType: 'marketing',
      trigger: { events: ['form.submitted'], ...(filter ? { filter } : {}) },
      reentry: { mode: 'always' },
      steps: [
        { id: 'tier', type: 'branch', condition: { inSegment: segment.id }, then: 'vip', else: 'standard' },
        { id: 'vip', type: 'send', template: '{{ workspace.brandName }}: VIP 30% off. Reply STOP to opt out.', next: 'done' },
        { id: 'standard', type: 'send', template: '{{ workspace.brandName }}: members 10% off. Reply STOP to opt out.' },
        { id: 'done', type: 'exit' },
      ],
    });
    // A flow condition naming something that is not a segment id is refused when the flow is saved.
    const refused = await kit.http().post('/v1/flows').set('Authorization', auth).send({ ...flowDoc(), steps: [{ ...flowDoc().steps[0], condition: { inSegment: 'gold' } }, ...flowDoc().steps.slice(1)] }).expect(422);
    expect(JSON.stringify(refused.body)).toContain('inSegment takes a segment id');
    const saved = await kit.http().post('/v1/flows').set('Authorization', auth).send(flowDoc());
    expect(saved.body).toMatchObject({ id: expect.any(String) });
    const flow = saved.body;
    await kit.http().post(`/v1/flows/${flow.id}/activate`).set('Authorization', auth).expect(200);

    // A campaign whose content is the flow: each run branches on the segment as its step runs.
    const group = (await kit.http().post('/v1/groups').set('Authorization', auth).send({ name: 'Both' }).expect(201)).body;
    await kit.http().post(`/v1/groups/${group.id}/members`).set('Authorization', auth).send({ contactIds: [gold.id, silver.id] }).expect(200);
    const campaign = (await kit.http().post('/v1/campaigns').set('Authorization', auth).send({ name: 'Tiered', audience: { groupId: group.id }, content: { kind: 'flow', flowId: flow.id } }).expect(201)).body;
    await kit.http().post(`/v1/campaigns/${campaign.id}/schedule`).set('Authorization', auth).send({}).expect(200);
    await hub.get(CampaignRunner).advance(campaign.id);
    await settle(hub);
    await kit.tick();
    await settle(hub);
    expect((await kit.outbound(gold.id)).map((m) => m.body)).toEqual([expect.stringContaining('VIP 30% off')]);
    expect((await kit.outbound(silver.id)).map((m) => m.body)).toEqual([expect.stringContaining('members 10% off')]);
    // Every message the campaign caused is found under it.
    const listed = await kit.http().get(`/v1/messages?campaignId=${campaign.id}&limit=100`).set('Authorization', auth).expect(200);
    expect(listed.body.data.map((m: { contactId: string }) => m.contactId).sort()).toEqual([gold.id, silver.id].sort());

    // The simulator, for a real contact, reads their segments as they are now.
    const simulate = async (contactId: string) => (await kit.http().post(`/v1/flows/${flow.id}/simulate`).set('Authorization', auth).send({ contactId }).expect(200)).body.messages.map((m: { stepId: string }) => m.stepId);
    expect(await simulate(gold.id)).toEqual(['vip']);
    expect(await simulate(silver.id)).toEqual(['standard']);

    // A trigger filter reads membership when the event arrives: silver is not in it, until they are.
    const gated = (await kit.http().post('/v1/flows').set('Authorization', auth).send(flowDoc({ inSegment: segment.id })).expect(201)).body;
    await kit.http().post(`/v1/flows/${gated.id}/activate`).set('Authorization', auth).expect(200);
    await kit.emit([{ type: 'form.submitted', dedupeKey: 'silver-1', contact: { phone: silver.phone } }]);
    await settle(hub);
    expect(await kit.runsOf(gated.id)).toHaveLength(0);
    await kit.http().patch(`/v1/contacts/${silver.id}`).set('Authorization', auth).send({ attributes: { tier: 'gold' } }).expect(200);
    await kit.emit([{ type: 'form.submitted', dedupeKey: 'silver-2', contact: { phone: silver.phone } }]);
    await settle(hub);
    expect((await kit.runsOf(gated.id)).map((r) => r.contact_id)).toEqual([silver.id]);
  });

  it('a test send goes to one number through every policy; bad campaign input is a 422 naming the field', async () => {
    const kit = new FlowKit(hub, await hub.createWorkspace());
    const auth = await kit.auth('marketing');
    const me = await kit.contact('+13125550501', { timeZone: 'America/Chicago' });
    await kit.optIn(me.id, ['marketing']);
    const group = (await kit.http().post('/v1/groups').set('Authorization', auth).send({ name: 'G' }).expect(201)).body;
    const bad = await kit.http().post('/v1/campaigns').set('Authorization', auth).send({ name: 'x', audience: { groupId: group.id }, content: { kind: 'message', messageType: 'marketing' } }).expect(400);
    expect(JSON.stringify(bad.body.details)).toContain('body');
    const both = await kit.http().post('/v1/campaigns').set('Authorization', auth).send({ name: 'x', audience: {}, content: { kind: 'message', messageType: 'marketing', body: 'x' } }).expect(422);
    expect(both.body.details[0].field).toBe('audience');
    const local = await kit.http().post('/v1/campaigns').set('Authorization', auth).send({ name: 'x', audience: { groupId: group.id }, content: { kind: 'message', messageType: 'marketing', body: 'x' }, schedule: { mode: 'local', localTime: '2026-02-30T10:00' } }).expect(422);
    expect(local.body.details[0].field).toBe('schedule.localTime');
    const id = (await kit.http().post('/v1/campaigns').set('Authorization', auth).send({ name: 'Test me', audience: { groupId: group.id }, content: { kind: 'message', messageType: 'marketing', body: 'Preview. Reply STOP to opt out.' } }).expect(201)).body.id;
    const sent = await kit.http().post(`/v1/campaigns/${id}/test-send`).set('Authorization', auth).send({ phone: me.phone }).expect(200);
    await settle(hub);
    const [message] = await hub.dataSource.query(`SELECT status, origin FROM message WHERE id = $1`, [sent.body.messageId]);
    expect(message.status).toBe('sent');
    expect(message.origin.campaignId).toBe(id);
    // A stranger's number is not opted in: the test send is blocked like any other text.
    const stranger = await kit.http().post(`/v1/campaigns/${id}/test-send`).set('Authorization', auth).send({ phone: '+13125550599' }).expect(200);
    await settle(hub);
    const [blocked] = await hub.dataSource.query(`SELECT status FROM message WHERE id = $1`, [stranger.body.messageId]);
    expect(blocked.status).toBe('blocked');
  });
});

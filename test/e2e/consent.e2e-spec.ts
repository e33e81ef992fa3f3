import { ConsentService, SuppressionService } from '@optline/consent';
import { DomainEventBus, DomainEventMap } from '@optline/core';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { createContact, getAs, parseCsv, recordConsent, uniquePhone } from '../utils/factories/contacts';

const T0 = new Date('2026-11-22T09:00:00.000Z');

describe('consent: ledger, projection, groups, proof', () => {
  let hub: TestHub;
  let ws: TestWorkspace;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(T0);
    ws = await hub.createWorkspace();
  });
  afterAll(() => hub.close());

  it('records opt-in and opt-out per message type; "all" covers every type', async () => {
    const contact = await createContact(ws);
    await recordConsent(ws, contact.id, { types: ['marketing'], state: 'opted_in' }, 'admin', 201);
    await recordConsent(ws, contact.id, { types: ['transactional'], state: 'opted_in' }, 'admin', 201);
    let consent = (await getAs(ws, `/v1/contacts/${contact.id}/consent`, 'admin', 200)).body;
    expect(consent.states.marketing.state).toBe('opted_in');
    expect(consent.states.transactional.state).toBe('opted_in');
    expect(consent.states.conversational.state).toBe('none');

    await recordConsent(ws, contact.id, { types: ['marketing'], state: 'opted_out' }, 'support', 201);
    consent = (await getAs(ws, `/v1/contacts/${contact.id}/consent`, 'admin', 200)).body;
    expect(consent.states.marketing.state).toBe('opted_out');
    expect(consent.states.transactional.state).toBe('opted_in');

    const agent = await hub.http().post('/v1/agents').set('Authorization', await ws.auth()).send({ displayName: 'Dana' }).expect(201);
    const stop = await recordConsent(ws, contact.id, { types: 'all', state: 'opted_out', source: 'agent', agentId: agent.body.id }, 'support', 201);
    expect(stop.body.entries.map((e: { messageType: string }) => e.messageType).sort()).toEqual(['conversational', 'marketing', 'transactional']);
    expect(stop.body.states).toMatchObject({ marketing: { state: 'opted_out' }, transactional: { state: 'opted_out' }, conversational: { state: 'opted_out' } });

    // The facade reads every contact in one call; unknown contacts are 'none'.
    const states = await hub.get(ConsentService).statesFor(ws.id, [contact.id, '00000000-0000-4000-8000-000000000000']);
    expect(states.get(contact.id)).toEqual({ marketing: 'opted_out', transactional: 'opted_out', conversational: 'opted_out' });
    expect(states.get('00000000-0000-4000-8000-000000000000')).toEqual({ marketing: 'none', transactional: 'none', conversational: 'none' });
  });

  it('lets any staff role record an opt-out but only an admin, with evidence text, an opt-in', async () => {
    const contact = await createContact(ws);
    for (const role of ['marketing', 'support', 'operations'] as const) {
      const res = await recordConsent(ws, contact.id, { types: ['marketing'], state: 'opted_in' }, role, 403);
      expect(res.body.code).toBe('permission_denied');
      await recordConsent(ws, contact.id, { types: ['marketing'], state: 'opted_out' }, role, 201);
    }
    const noText = await recordConsent(ws, contact.id, { types: ['marketing'], state: 'opted_in', evidence: { ticket: 'SUP-1' } }, 'admin', 422);
    expect(noText.body.details[0].field).toBe('evidence.text');
    const badTypes = await recordConsent(ws, contact.id, { types: ['promotions'], state: 'opted_in' }, 'admin', 400);
    expect(badTypes.body.details.map((d: { field: string }) => d.field)).toContain('types');
    const future = await recordConsent(ws, contact.id, { types: ['marketing'], state: 'opted_out', occurredAt: '2027-01-01T00:00:00.000Z' }, 'admin', 422);
    expect(future.body.details[0].field).toBe('occurredAt');
  });

  it('writes every required field on each ledger entry, including the disclosure version the person saw', async () => {
    const disclosure = (
      await hub.http().post('/v1/disclosures').set('Authorization', await ws.auth()).send({ text: 'Acme Alerts: recurring marketing texts. Msg & data rates may apply. Reply STOP to cancel.' }).expect(201)
    ).body;
    const contact = await createContact(ws);
    const events: DomainEventMap['consent.changed'][] = [];
    hub.get(DomainEventBus).subscribe('consent.changed', (e) => {
      if (e.contactId === contact.id) events.push(e);
    });
    const occurredAt = new Date(T0.getTime() - 60_000);
    const [entry] = await hub.get(ConsentService).record(ws.id, {
      contactId: contact.id,
      types: ['marketing'],
      state: 'opted_in',
      source: 'web_form',
      evidence: { formId: 'footer', pageUrl: 'https://acme.test/', ip: '203.0.113.9', userAgent: 'Mozilla/5.0', fields: { phone: contact.phone, checkbox: true } },
      flowId: 'welcome-series',
      campaignId: 'spring-sale',
      occurredAt,
    });
    expect(entry.disclosureId).toBe(disclosure.id); // a web-form opt-in records the current disclosure by default
    expect(events).toEqual([
      { workspaceId: ws.id, contactId: contact.id, consentEventId: entry.id, messageType: 'marketing', state: 'opted_in', source: 'web_form' },
    ]);

    const history = (await getAs(ws, `/v1/contacts/${contact.id}/consent`, 'admin', 200)).body.history;
    expect(history[0]).toEqual({
      id: entry.id,
      seq: expect.any(Number),
      kind: 'consent',
      contactId: contact.id,
      phone: contact.phone,
      phoneHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      messageType: 'marketing',
      state: 'opted_in',
      source: 'web_form',
      evidence: { formId: 'footer', pageUrl: 'https://acme.test/', ip: '203.0.113.9', userAgent: 'Mozilla/5.0', fields: { phone: contact.phone, checkbox: true } },
      disclosureId: disclosure.id,
      disclosureVersion: 1,
      flowId: 'welcome-series',
      campaignId: 'spring-sale',
      actor: null,
      occurredAt: occurredAt.toISOString(),
      recordedAt: T0.toISOString(),
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const byHand = await recordConsent(ws, contact.id, { types: ['conversational'], state: 'opted_in', evidence: { text: 'Asked at the desk' } }, 'admin', 201);
    expect(byHand.body.entries[0]).toMatchObject({ source: 'api', actor: expect.stringMatching(/^api_key:/), disclosureId: null });
  });

  it('keeps the Opted-In and Opted-Out groups in step with consent, and refuses changing them by hand', async () => {
    const groups = (await getAs(ws, '/v1/groups', 'admin', 200)).body.data;
    const optedIn = groups.find((g: { kind: string }) => g.kind === 'opted_in');
    const optedOut = groups.find((g: { kind: string }) => g.kind === 'opted_out');
    expect([optedIn.name, optedOut.name]).toEqual(['Opted-In', 'Opted-Out']);
    const members = async (id: string) => (await getAs(ws, `/v1/groups/${id}/members?limit=10000`, 'admin', 200)).body.data as string[];

    const contact = await createContact(ws);
    await recordConsent(ws, contact.id, { types: ['marketing'], state: 'pending', evidence: { text: 'double opt-in requested' } }, 'admin', 201);
    expect(await members(optedIn.id)).not.toContain(contact.id);
    expect(await members(optedOut.id)).not.toContain(contact.id);

    await recordConsent(ws, contact.id, { types: ['marketing'], state: 'opted_in' }, 'admin', 201);
    expect(await members(optedIn.id)).toContain(contact.id);
    expect(await members(optedOut.id)).not.toContain(contact.id);

    await recordConsent(ws, contact.id, { types: 'all', state: 'opted_out' }, 'support', 201);
    expect(await members(optedIn.id)).not.toContain(contact.id);
    expect(await members(optedOut.id)).toContain(contact.id);

    const refused = await hub.http().post(`/v1/groups/${optedIn.id}/members`).set('Authorization', await ws.auth()).send({ contactIds: [contact.id] }).expect(422);
    expect(refused.body.code).toBe('system_group_follows_consent');
  });

  it('chains every entry by hash: the chain verifies, and a row changed by SQL is reported at that row', async () => {
    const contact = await createContact(ws);
    for (const state of ['opted_in', 'opted_out', 'opted_in']) await recordConsent(ws, contact.id, { types: ['marketing'], state }, 'admin', 201);
    const ok = (await getAs(ws, '/v1/consent/verify', 'admin', 200)).body;
    expect(ok).toMatchObject({ ok: true, firstBroken: null });
    expect(ok.entries).toBeGreaterThanOrEqual(3);

    // Plain SQL cannot change the ledger: a trigger makes it append-only.
    const [target] = await hub.dataSource.query(
      `SELECT id, seq FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 ORDER BY seq LIMIT 1 OFFSET 1`,
      [ws.id, contact.id],
    );
    await expect(hub.dataSource.query(`UPDATE consent_event SET state = 'opted_in' WHERE id = $1`, [target.id])).rejects.toThrow(/append-only/);
    await expect(hub.dataSource.query(`DELETE FROM consent_event WHERE id = $1`, [target.id])).rejects.toThrow(/append-only/);

    // Someone with superuser rights can switch the trigger off; the chain still tells.
    const runner = hub.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SET session_replication_role = replica`);
      await runner.query(`UPDATE consent_event SET state = 'opted_in' WHERE id = $1`, [target.id]);
    } finally {
      await runner.query(`SET session_replication_role = DEFAULT`);
      await runner.release();
    }
    const broken = (await getAs(ws, '/v1/consent/verify', 'admin', 200)).body;
    expect(broken).toMatchObject({ ok: false, entries: ok.entries, firstBroken: { seq: String(target.seq), id: target.id, reason: 'hash_mismatch' } });
  });

  it('reports a deleted ledger row at the entry after the gap', async () => {
    const other = await hub.createWorkspace({ name: 'Deleted row' });
    const contact = await createContact(other);
    for (const state of ['opted_in', 'opted_out', 'opted_in']) await recordConsent(other, contact.id, { types: ['marketing'], state }, 'admin', 201);
    const runner = hub.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SET session_replication_role = replica`);
      await runner.query(`DELETE FROM consent_event WHERE workspace_id = $1 AND seq = 2`, [other.id]);
    } finally {
      await runner.query(`SET session_replication_role = DEFAULT`);
      await runner.release();
    }
    const [third] = await hub.dataSource.query(`SELECT id FROM consent_event WHERE workspace_id = $1 AND seq = 3`, [other.id]);
    expect((await getAs(other, '/v1/consent/verify')).body).toMatchObject({ ok: false, entries: 2, firstBroken: { seq: '3', id: third.id, reason: 'missing_entry' } });
  });

  it('answers what the state was at an instant, and which entry established it', async () => {
    const other = await hub.createWorkspace({ name: 'At' });
    const contact = await createContact(other);
    hub.manualClock.set('2026-11-01T10:00:00.000Z');
    const optIn = (await recordConsent(other, contact.id, { types: ['marketing'], state: 'opted_in' }, 'admin', 201)).body.entries[0];
    hub.manualClock.set('2026-11-10T10:00:00.000Z');
    const optOut = (await recordConsent(other, contact.id, { types: 'all', state: 'opted_out', source: 'sms_keyword', evidence: { keyword: 'STOP' } }, 'support', 201))
      .body.entries;
    hub.manualClock.set(T0);

    const at = async (instant: string, type = 'marketing', phone = contact.phone) =>
      (await getAs(other, `/v1/consent/at?phone=${encodeURIComponent(phone)}&type=${type}&at=${instant}`, 'support', 200)).body;
    expect(await at('2026-10-31T00:00:00.000Z')).toMatchObject({ state: 'none', establishedBy: null, suppressed: false });
    expect(await at('2026-11-05T00:00:00.000Z')).toMatchObject({ phone: contact.phone, state: 'opted_in', establishedBy: { id: optIn.id, source: 'api' } });
    const marketingStop = optOut.find((e: { messageType: string }) => e.messageType === 'marketing');
    expect(await at('2026-11-10T10:00:00.000Z')).toMatchObject({ state: 'opted_out', establishedBy: { id: marketingStop.id, evidence: { keyword: 'STOP' } } });
    // Any written form of the number works.
    const national = contact.phone.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');
    expect((await at('2026-11-05T00:00:00.000Z', 'marketing', national)).state).toBe('opted_in');
    const bad = await getAs(other, `/v1/consent/at?phone=12&type=marketing`, 'admin', 422);
    expect(bad.body.details[0].field).toBe('phone');
  });

  it('serialises concurrent changes of one contact: the chain verifies and the state is the last entry', async () => {
    const other = await hub.createWorkspace({ name: 'Concurrent' });
    const contact = await createContact(other);
    const auth = await other.auth('admin');
    const states = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 'opted_out' : 'opted_in'));
    const answers = await Promise.all(
      states.map((state, i) =>
        hub
          .http()
          .post(`/v1/contacts/${contact.id}/consent`)
          .set('Authorization', auth)
          .send({ types: i % 2 ? ['marketing'] : 'all', state, evidence: { text: `request ${i}` } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(states.map(() => 201));

    const verification = (await getAs(other, '/v1/consent/verify', 'admin', 200)).body;
    expect(verification).toMatchObject({ ok: true, entries: 20 + 20 * 3, head: { seq: '80' } });
    const rows: { seq: string; message_type: string; state: string; id: string }[] = await hub.dataSource.query(
      `SELECT seq, message_type, state, id FROM consent_event WHERE workspace_id = $1 ORDER BY seq`,
      [other.id],
    );
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const consent = (await getAs(other, `/v1/contacts/${contact.id}/consent`, 'admin', 200)).body;
    for (const type of ['marketing', 'transactional', 'conversational']) {
      const last = rows.filter((r) => r.message_type === type).at(-1)!;
      expect([type, consent.states[type].state, consent.states[type].eventId]).toEqual([type, last.state, last.id]);
    }
  });

  it('exports every ledger entry with the fields a regulator asks for, as CSV or JSON, by period', async () => {
    const other = await hub.createWorkspace({ name: 'Export' });
    const contact = await createContact(other);
    hub.manualClock.set('2026-03-01T12:00:00.000Z');
    await recordConsent(other, contact.id, { types: ['marketing'], state: 'opted_in', campaignId: 'spring' }, 'admin', 201);
    hub.manualClock.set('2026-04-01T12:00:00.000Z');
    const flow = await hub
      .http()
      .post('/v1/flows')
      .set('Authorization', await other.auth())
      .send({ name: 'Opt-out', messageType: 'marketing', trigger: { events: [] }, reentry: { mode: 'never' }, steps: [{ id: 'bye', type: 'send', template: 'Acme Alerts: bye. Reply STOP to opt out.' }] })
      .expect(201);
    await recordConsent(other, contact.id, { types: ['marketing'], state: 'opted_out', flowId: flow.body.id, source: 'sms_keyword', evidence: { keyword: 'STOP' } }, 'admin', 201);
    hub.manualClock.set(T0);

    const csv = await getAs(other, '/v1/consent/export?format=csv', 'support', 200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.text);
    expect(rows).toEqual([
      expect.objectContaining({ phone: contact.phone, consent_status: 'opted_in', source: 'api', timestamp: '2026-03-01T12:00:00.000Z', message_type: 'marketing', opt_out_timestamp: '', campaign_id: 'spring', flow_id: '', disclosure_version: '', seq: '1' }),
      expect.objectContaining({ phone: contact.phone, consent_status: 'opted_out', source: 'sms_keyword', timestamp: '2026-04-01T12:00:00.000Z', opt_out_timestamp: '2026-04-01T12:00:00.000Z', flow_id: flow.body.id, seq: '2' }),
    ]);
    expect(JSON.parse(rows[1].evidence)).toEqual({ keyword: 'STOP' });

    const json = await getAs(other, '/v1/consent/export?format=json&from=2026-03-15T00:00:00.000Z&to=2026-12-31T00:00:00.000Z', 'admin', 200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual([expect.objectContaining({ phone: contact.phone, consent_status: 'opted_out', seq: 2, evidence: { keyword: 'STOP' } })]);
    await getAs(other, '/v1/consent/export?format=xml', 'admin', 400);
  });

  it('keeps suppression and the ledger working after erasure, without the personal data', async () => {
    const other = await hub.createWorkspace({ name: 'Erasure' });
    const contact = await createContact(other, { firstName: 'Grace', email: 'grace@example.com', attributes: { tier: 'gold' } });
    await recordConsent(other, contact.id, { types: ['marketing'], state: 'opted_in' }, 'admin', 201);
    await hub.http().delete(`/v1/contacts/${contact.id}`).set('Authorization', await other.auth('support')).expect(200);

    const erased = (await getAs(other, `/v1/contacts/${contact.id}`, 'admin', 200)).body;
    expect(erased).toMatchObject({ phone: null, email: null, firstName: null, attributes: {}, erasedAt: T0.toISOString() });
    const rows = await hub.dataSource.query(`SELECT phone, phone_hash, kind FROM consent_event WHERE workspace_id = $1 ORDER BY seq`, [other.id]);
    expect(rows.map((r: { kind: string }) => r.kind)).toEqual(['consent', 'suppression_added']);
    expect(rows.every((r: { phone: string | null; phone_hash: string }) => r.phone === null && /^[0-9a-f]{64}$/.test(r.phone_hash))).toBe(true);
    expect(JSON.stringify(await hub.dataSource.query(`SELECT * FROM contact WHERE id = $1`, [contact.id]))).not.toContain(contact.phone.slice(1));
    expect((await getAs(other, '/v1/consent/verify', 'admin', 200)).body.ok).toBe(true);

    // The number stays suppressed, by hash, even when it comes back as a new contact.
    expect(await hub.get(SuppressionService).isSuppressed(other.id, contact.phone)).toBe(true);
    const again = await createContact(other, { phone: contact.phone });
    expect(again.id).not.toBe(contact.id);
    expect(await hub.get(SuppressionService).suppressedAmong(other.id, [contact.phone, uniquePhone()])).toEqual(new Set([contact.phone]));
    const at = (await getAs(other, `/v1/consent/at?phone=${encodeURIComponent(contact.phone)}&type=marketing`, 'admin', 200)).body;
    expect(at).toMatchObject({ state: 'opted_in', suppressed: true, establishedBy: { contactId: contact.id, phone: null } });
    await recordConsent(other, contact.id, { types: ['marketing'], state: 'opted_out' }, 'admin', 410);
  });

  it('maintains a suppression list with reasons, audited in the ledger, and imports do-not-contact CSVs', async () => {
    const other = await hub.createWorkspace({ name: 'Suppression' });
    const auth = await other.auth('support');
    const phone = uniquePhone(212);
    const added = await hub.http().post('/v1/suppression').set('Authorization', auth).send({ phone, reason: 'Legal request' }).expect(200);
    expect(added.body).toEqual({ phone, suppressed: true, added: true });
    expect((await hub.http().post('/v1/suppression').set('Authorization', auth).send({ phone, reason: 'again' }).expect(200)).body.added).toBe(false);
    await hub.http().post('/v1/suppression').set('Authorization', await other.auth('marketing')).send({ phone, reason: 'x' }).expect(403);
    const invalid = await hub.http().post('/v1/suppression').set('Authorization', auth).send({ phone: '123', reason: 'bad' }).expect(422);
    expect(invalid.body.details[0].field).toBe('phone');

    const imported = await hub
      .http()
      .post('/v1/suppression/import?reason=Carrier%20landline%20report')
      .set('Authorization', auth)
      .set('Content-Type', 'text/csv')
      .send(`phone,reason\n${uniquePhone(305)},\nnot-a-number,x\n${phone},dup\n`)
      .expect(200);
    expect(imported.body).toEqual({ rowsRead: 3, added: 1, alreadySuppressed: 1, rejected: 1, rejections: [{ line: 3, reason: 'phone "not-a-number" is not a valid number' }] });

    await hub.http().delete(`/v1/suppression/${encodeURIComponent(phone)}`).set('Authorization', auth).send({ reason: 'Added by mistake' }).expect(200);
    await hub.http().delete(`/v1/suppression/${encodeURIComponent(phone)}`).set('Authorization', auth).send({ reason: 'again' }).expect(404);
    expect(await hub.get(SuppressionService).isSuppressed(other.id, phone)).toBe(false);

    const audit = parseCsv((await getAs(other, '/v1/consent/export', 'admin', 200)).text);
    expect(audit.map((r) => [r.entry_kind, r.consent_status, JSON.parse(r.evidence).reason])).toEqual([
      ['suppression_added', 'suppressed', 'Legal request'],
      ['suppression_added', 'suppressed', 'Carrier landline report'],
      ['suppression_removed', 'unsuppressed', 'Added by mistake'],
    ]);
    expect(audit[0].actor).toMatch(/^api_key:/);
  });

  it("keeps each workspace's consent to itself", async () => {
    const a = await hub.createWorkspace({ name: 'A' });
    const b = await hub.createWorkspace({ name: 'B' });
    const contact = await createContact(a);
    await recordConsent(a, contact.id, { types: ['marketing'], state: 'opted_in' }, 'admin', 201);
    await hub.http().post('/v1/suppression').set('Authorization', await a.auth()).send({ phone: contact.phone, reason: 'A only' }).expect(200);

    await getAs(b, `/v1/contacts/${contact.id}/consent`, 'admin', 404);
    await recordConsent(b, contact.id, { types: ['marketing'], state: 'opted_out' }, 'admin', 404);
    expect((await getAs(b, `/v1/consent/at?phone=${encodeURIComponent(contact.phone)}&type=marketing`, 'admin', 200)).body).toMatchObject({
      state: 'none',
      suppressed: false,
    });
    expect((await getAs(b, '/v1/consent/verify', 'admin', 200)).body).toMatchObject({ ok: true, entries: 0 });
    expect(parseCsv((await getAs(b, '/v1/consent/export', 'admin', 200)).text)).toEqual([]);
    expect(await hub.get(SuppressionService).isSuppressed(b.id, contact.phone)).toBe(false);
    expect((await hub.get(ConsentService).statesFor(b.id, [contact.id])).get(contact.id)).toEqual({ marketing: 'none', transactional: 'none', conversational: 'none' });
  });
});

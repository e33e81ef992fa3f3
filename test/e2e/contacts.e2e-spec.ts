import { ContactService, GroupService } from '@optline/contacts';
import { concretePath, listRoutes } from '../utils/routes';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { createContact, getAs, parseCsv, recordConsent, uniquePhone } from '../utils/factories/contacts';

describe('contacts: identity by phone, fields, lists, groups', () => {
  let hub: TestHub;
  let ws: TestWorkspace;

  beforeAll(async () => {
    hub = await TestHub.start();
    ws = await hub.createWorkspace();
  });
  afterAll(() => hub.close());

  const post = async (path: string, body: object, workspace = ws, role: 'admin' | 'marketing' | 'support' | 'operations' = 'admin') =>
    hub.http().post(path).set('Authorization', await workspace.auth(role)).send(body);
  const patch = async (path: string, body: object, workspace = ws) => hub.http().patch(path).set('Authorization', await workspace.auth()).send(body);

  it('normalises phones to E.164 with the workspace country and merges by phone', async () => {
    const first = await post('/v1/contacts', { phone: '(415) 555-0142', firstName: 'Ada', attributes: { tags: ['vip'] } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ phone: '+14155550142', firstName: 'Ada', created: true });
    const again = await post('/v1/contacts', { phone: '+1 415-555-0142', email: 'ada@example.com', attributes: { birthday: '1990-12-10' } });
    expect(again.status).toBe(200);
    // Merged: nothing the second call did not know was lost.
    expect(again.body).toMatchObject({
      id: first.body.id,
      phone: '+14155550142',
      firstName: 'Ada',
      email: 'ada@example.com',
      attributes: { tags: ['vip'], birthday: '1990-12-10' },
      created: false,
    });

    const french = await hub.createWorkspace({ name: 'Boulangerie', defaultCountry: 'FR', timeZone: 'Europe/Paris' });
    const fr = await post('/v1/contacts', { phone: '06 12 34 56 78' }, french);
    expect([fr.status, fr.body.phone]).toEqual([201, '+33612345678']);
  });

  it('refuses a bad phone with 422 naming the field, and a missing one with 400', async () => {
    for (const phone of ['not a phone', '12345', '+1 999 999 9999', '0612345678']) {
      const res = await post('/v1/contacts', { phone });
      expect([phone, res.status, res.body.code, res.body.details]).toEqual([phone, 422, 'invalid_phone', [expect.objectContaining({ field: 'phone' })]]);
    }
    const missing = await post('/v1/contacts', { firstName: 'Nobody' });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toContain('phone');
    const badZone = await post('/v1/contacts', { phone: uniquePhone(), timeZone: 'Mars/Olympus' });
    expect([badZone.status, badZone.body.details[0].field]).toEqual([400, 'timeZone']);
  });

  it('changes a contact: null clears, attributes merge and drop nulls, a taken phone is a conflict', async () => {
    const contact = await createContact(ws, { email: 'old@example.com', attributes: { tier: 'gold', old: true }, externalIds: { shopify: '1' } });
    const other = await createContact(ws);
    const res = await patch(`/v1/contacts/${contact.id}`, { email: null, lastName: 'Hopper', attributes: { old: null, size: 'M' }, externalIds: { hubspot: '9' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: null, lastName: 'Hopper', attributes: { tier: 'gold', size: 'M' }, externalIds: { shopify: '1', hubspot: '9' } });
    expect(res.body.attributes).not.toHaveProperty('old');

    const taken = await patch(`/v1/contacts/${contact.id}`, { phone: other.phone });
    expect([taken.status, taken.body.code]).toEqual([409, 'phone_taken']);
    const invalid = await patch(`/v1/contacts/${contact.id}`, { phone: 'nope' });
    expect([invalid.status, invalid.body.details[0].field]).toEqual([422, 'phone']);
    const moved = await patch(`/v1/contacts/${contact.id}`, { phone: '212-555-0188' });
    expect(moved.body.phone).toBe('+12125550188');
  });

  it('resolves the time zone from the contact, else the number, else the workspace', async () => {
    const explicit = await createContact(ws, { phone: '+13055550123', timeZone: 'America/Chicago' });
    const florida = await createContact(ws, { phone: '+13055550124' });
    const tollFree = await createContact(ws, { phone: '+18005550100' });
    const zone = async (id: string) => (await getAs(ws, `/v1/contacts/${id}`)).body.resolvedTimeZone;
    expect(await zone(explicit.id)).toEqual({ zones: ['America/Chicago'], source: 'contact' });
    expect(await zone(florida.id)).toEqual({ zones: ['America/New_York'], source: 'phone' });
    expect(await zone(tollFree.id)).toEqual({ zones: ['America/New_York'], source: 'workspace' });
  });

  it('lists contacts by cursor pages, and filters by group, consent state, attribute and text', async () => {
    const w = await hub.createWorkspace({ name: 'Lists' });
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await createContact(w, { firstName: i === 3 ? 'Marguerite' : `P${i}`, attributes: { tier: i % 2 ? 'gold' : 'silver' } }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await getAs(w, `/v1/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.data.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(made.map((c) => c.id).sort());

    const ids = async (query: string) => ((await getAs(w, `/v1/contacts?${query}`)).body.data as { id: string }[]).map((c) => c.id).sort();
    expect(await ids('attribute=tier:gold')).toEqual([made[1], made[3], made[5]].map((c) => c.id).sort());
    expect(await ids('attribute=tier')).toHaveLength(7);
    expect(await ids('q=marg')).toEqual([made[3].id]);
    expect(await ids(`q=${encodeURIComponent(made[4].phone.slice(-7))}`)).toEqual([made[4].id]);

    const group = (await post('/v1/groups', { name: 'Newsletter' }, w)).body;
    await post(`/v1/groups/${group.id}/members`, { contactIds: [made[0].id, made[6].id] }, w);
    expect(await ids(`group=${group.id}`)).toEqual([made[0].id, made[6].id].sort());

    await recordConsent(w, made[2].id, { types: ['marketing'], state: 'opted_in' });
    await recordConsent(w, made[5].id, { types: ['marketing'], state: 'opted_out' });
    expect(await ids('consentType=marketing&consentState=opted_in')).toEqual([made[2].id]);
    expect(await ids('consentType=marketing&consentState=opted_out')).toEqual([made[5].id]);
    expect(await ids('consentType=marketing&consentState=none')).toHaveLength(5);

    const bad = await getAs(w, '/v1/contacts?consentState=maybe&limit=0', 'admin', 400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['consentState', 'limit']);
  });

  it('manages static groups and their members; pages member ids for enrolment', async () => {
    const w = await hub.createWorkspace({ name: 'Groups' });
    const a = await createContact(w);
    const b = await createContact(w);
    const vip = (await post('/v1/groups', { name: 'VIP', description: 'Big spenders' }, w)).body;
    const lapsed = (await post('/v1/groups', { name: 'Lapsed' }, w)).body;
    expect((await post('/v1/groups', { name: 'VIP' }, w)).status).toBe(409);

    expect((await post(`/v1/groups/${vip.id}/members`, { contactIds: [a.id, b.id, a.id] }, w)).body.memberCount).toBe(2);
    const unknown = await post(`/v1/groups/${vip.id}/members`, { contactIds: [a.id, '00000000-0000-4000-8000-000000000000'] }, w);
    expect([unknown.status, unknown.body.details[0].field]).toEqual([404, 'contactIds[1]']);
    const bad = await post(`/v1/groups/${vip.id}/members`, { contactIds: ['x'] }, w);
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'contactIds']);

    await post(`/v1/groups/${vip.id}/members/move`, { contactIds: [b.id], toGroupId: lapsed.id }, w);
    expect((await getAs(w, `/v1/groups/${vip.id}/members`)).body.data).toEqual([a.id]);
    expect((await getAs(w, `/v1/groups/${lapsed.id}/members`)).body.data).toEqual([b.id]);
    await post(`/v1/groups/${lapsed.id}/members/remove`, { contactIds: [b.id] }, w);
    expect((await getAs(w, `/v1/groups/${lapsed.id}`)).body).toMatchObject({ name: 'Lapsed', memberCount: 0, system: false });

    // The facade pages a large group by keyset.
    const many = await hub.get(ContactService).upsertMany(w.id, Array.from({ length: 25 }, () => ({ phone: uniquePhone(646) })));
    await hub.get(GroupService).addMembers(w.id, lapsed.id, many.map((c) => c.id));
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await hub.get(GroupService).memberIds(w.id, lapsed.id, after, 10);
      if (page.length === 0) break;
      pages.push(page);
      after = page[page.length - 1];
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(many.map((c) => c.id).sort());

    await hub.http().delete(`/v1/groups/${vip.id}`).set('Authorization', await w.auth()).expect(200);
    await getAs(w, `/v1/groups/${vip.id}`, 'admin', 404);
    await getAs(w, `/v1/contacts/${a.id}`); // the contact stays
  });

  it('offers batch and lookup facades: upsertMany aligned with its inputs, lookups by any phone form or external id', async () => {
    const w = await hub.createWorkspace({ name: 'Facade' });
    const contacts = hub.get(ContactService);
    const phone = uniquePhone(617);
    const national = phone.replace(/^\+1/, '');
    const result = await contacts.upsertMany(w.id, [
      { phone, firstName: 'Kim', externalIds: { shopify: '501' } },
      { phone: uniquePhone(617) },
      { phone: national, lastName: 'Lee' },
    ]);
    expect(result).toHaveLength(3);
    expect(result[2].id).toBe(result[0].id);
    expect(result[2]).toMatchObject({ phone, firstName: 'Kim', lastName: 'Lee' });
    expect((await contacts.findByPhone(w.id, national))?.id).toBe(result[0].id);
    expect((await contacts.findByExternalId(w.id, 'shopify', '501'))?.id).toBe(result[0].id);
    expect(await contacts.findByExternalId(w.id, 'shopify', '502')).toBeNull();
    await expect(contacts.upsertMany(w.id, [{ phone }, { phone: 'bad' }])).rejects.toMatchObject({ kind: 'unprocessable', details: [{ field: '[1].phone' }] });
    expect(await contacts.getMany(w.id, [result[0].id, result[1].id, '00000000-0000-4000-8000-000000000000'])).toHaveLength(2);
  });

  it('exports live contacts as CSV', async () => {
    const w = await hub.createWorkspace({ name: 'Export' });
    const kept = await createContact(w, { firstName: 'Kept', attributes: { tier: 'gold' }, externalIds: { hubspot: '77' } });
    const erased = await createContact(w, { firstName: 'Gone' });
    await hub.http().delete(`/v1/contacts/${erased.id}`).set('Authorization', await w.auth()).expect(200);
    const res = await getAs(w, '/v1/contacts/export', 'marketing');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(parseCsv(res.text)).toEqual([
      expect.objectContaining({ id: kept.id, phone: kept.phone, first_name: 'Kept', attributes: '{"tier":"gold"}', external_ids: '{"hubspot":"77"}' }),
    ]);
    await getAs(w, '/v1/contacts/export', 'support', 403);
  });

  it("gives workspace B a 404 for workspace A's contacts and groups, and lists only its own", async () => {
    const a = await hub.createWorkspace({ name: 'A' });
    const b = await hub.createWorkspace({ name: 'B' });
    const contact = await createContact(a);
    const groupA = (await post('/v1/groups', { name: 'A group' }, a)).body;
    const groupB = (await post('/v1/groups', { name: 'B group' }, b)).body;
    await getAs(b, `/v1/contacts/${contact.id}`, 'admin', 404);
    expect((await patch(`/v1/contacts/${contact.id}`, { firstName: 'Mallory' }, b)).status).toBe(404);
    await hub.http().delete(`/v1/contacts/${contact.id}`).set('Authorization', await b.auth()).expect(404);
    await getAs(b, `/v1/groups/${groupA.id}`, 'admin', 404);
    expect((await post(`/v1/groups/${groupB.id}/members`, { contactIds: [contact.id] }, b)).status).toBe(404);
    expect((await getAs(b, '/v1/contacts')).body.data).toEqual([]);
    expect(await hub.get(ContactService).findByPhone(b.id, contact.phone)).toBeNull();
    // Same number in B is B's own contact.
    const own = await createContact(b, { phone: contact.phone });
    expect(own.id).not.toBe(contact.id);
    expect((await getAs(a, `/v1/contacts/${contact.id}`)).body.firstName).toBeNull();
  });

  it('never answers 500 on these routes, whatever the body or id', async () => {
    const mine = listRoutes(hub.app).filter((r) => /^\/v1\/(contacts|groups|consent|disclosures|suppression|imports)/.test(r.path));
    expect(mine.length).toBeGreaterThan(20);
    const auth = await ws.auth();
    for (const route of mine) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
      for (const body of [{}, { phone: 42, contactIds: 'x', types: 7, evidence: 'no', state: [] }]) {
        const res = await hub.http()[method](concretePath(route.path)).set('Authorization', auth).send(body);
        expect([`${route.method} ${route.path}`, res.status < 500]).toEqual([`${route.method} ${route.path}`, true]);
      }
    }
  });
});

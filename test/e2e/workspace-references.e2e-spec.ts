import { TestHub, TestWorkspace } from '../utils/test-hub';

const NOON_CHICAGO = new Date('2026-03-10T17:00:00Z');

const flowDocument = () => ({
  name: 'Welcome',
  messageType: 'marketing',
  trigger: { events: [] },
  reentry: { mode: 'never' },
  steps: [{ id: 'hello', type: 'send', template: '{{ workspace.brandName }}: welcome! Reply STOP to opt out.' }],
});

/**
 * Every id a request names is looked up in the caller's workspace: another workspace's id is
 * answered 404 naming the field, and nothing referring to it is stored (law 6).
 */
describe("another workspace's ids in a request", () => {
  let hub: TestHub;
  let mine: TestWorkspace;
  let theirs: { ws: TestWorkspace; flowId: string; agentId: string; contactId: string; groupId: string; apiKeyId: string; disclosureId: string };
  let myContactId: string;
  let myGroupId: string;

  const as = async (ws: TestWorkspace) => ({ Authorization: await ws.auth() });

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(NOON_CHICAGO);
    mine = await hub.createWorkspace();
    const ws = await hub.createWorkspace({ name: 'Other' });
    const h = await as(ws);
    const flow = await hub.http().post('/v1/flows').set(h).send(flowDocument()).expect(201);
    const agent = await hub.http().post('/v1/agents').set(h).send({ displayName: 'Theirs' }).expect(201);
    const contact = await hub.http().post('/v1/contacts').set(h).send({ phone: '+13125550900' }).expect(201);
    const group = await hub.http().post('/v1/groups').set(h).send({ name: 'VIP' }).expect(201);
    const key = await hub.http().post('/v1/api-keys').set(h).send({ name: 'desk', role: 'support' }).expect(201);
    const disclosure = await hub.http().post('/v1/disclosures').set(h).send({ text: 'Other Alerts: recurring marketing texts. Msg & data rates may apply. Reply STOP to cancel.' }).expect(201);
    theirs = { ws, flowId: flow.body.id, agentId: agent.body.agent?.id ?? agent.body.id, contactId: contact.body.id, groupId: group.body.id, apiKeyId: key.body.id, disclosureId: disclosure.body.id };
    myContactId = (await hub.http().post('/v1/contacts').set(await as(mine)).send({ phone: '+13125550901' }).expect(201)).body.id;
    myGroupId = (await hub.http().post('/v1/groups').set(await as(mine)).send({ name: 'Mine' }).expect(201)).body.id;
  });
  afterAll(() => hub.close());

  const ledgerRows = async (contactId: string) => Number((await hub.dataSource.query('SELECT count(*) FROM consent_event WHERE contact_id = $1', [contactId]))[0].count);

  it('consent: a flowId or agentId of another workspace is 404 naming the field, and the ledger stays untouched', async () => {
    const h = await as(mine);
    const before = await ledgerRows(myContactId);
    const flow = await hub.http().post(`/v1/contacts/${myContactId}/consent`).set(h).send({ types: ['marketing'], state: 'opted_out', flowId: theirs.flowId, evidence: {} }).expect(404);
    expect(flow.body).toMatchObject({ code: 'flow_not_found', details: [{ field: 'flowId' }] });
    const agent = await hub.http().post(`/v1/contacts/${myContactId}/consent`).set(h).send({ types: ['marketing'], state: 'opted_out', agentId: theirs.agentId, evidence: {} }).expect(404);
    expect(agent.body).toMatchObject({ code: 'agent_not_found', details: [{ field: 'agentId' }] });
    const label = await hub.http().post(`/v1/contacts/${myContactId}/consent`).set(h).send({ types: ['marketing'], state: 'opted_out', agentId: 'agent-17', evidence: {} }).expect(400);
    expect(label.body.details).toEqual([expect.objectContaining({ field: 'agentId' })]);
    expect(await ledgerRows(myContactId)).toBe(before);

    // The workspace's own flow and agent are recorded.
    const ownFlow = await hub.http().post('/v1/flows').set(h).send(flowDocument()).expect(201);
    const ownAgent = await hub.http().post('/v1/agents').set(h).send({ displayName: 'Mine' }).expect(201);
    const ok = await hub.http().post(`/v1/contacts/${myContactId}/consent`).set(h).send({ types: ['marketing'], state: 'opted_out', flowId: ownFlow.body.id, agentId: ownAgent.body.id, evidence: {} }).expect(201);
    expect(ok.body.entries[0]).toMatchObject({ flowId: ownFlow.body.id, actor: `agent:${ownAgent.body.id}` });
  });

  it('a disclosureId of another workspace is refused naming the field', async () => {
    const h = await as(mine);
    const res = await hub.http().post(`/v1/contacts/${myContactId}/consent`).set(h).send({ types: ['marketing'], state: 'opted_in', disclosureId: theirs.disclosureId, evidence: { text: 'said yes at the desk' } });
    expect([res.status, res.body.details?.[0]?.field]).toEqual([422, 'disclosureId']);
  });

  it.each([
    ['group members: contactIds', () => ({ path: `/v1/groups/${myGroupId}/members`, body: { contactIds: [theirs.contactId] } }), 404, 'contact_not_found'],
    ['group move: toGroupId', () => ({ path: `/v1/groups/${myGroupId}/members/move`, body: { contactIds: [myContactId], toGroupId: theirs.groupId } }), 404, 'group_not_found'],
    ['agent: apiKeyId', () => ({ path: '/v1/agents', body: { displayName: 'X', apiKeyId: theirs.apiKeyId } }), 422, 'api_key_not_found'],
    ['conversation: agentId', () => ({ path: '/v1/conversations', body: { phone: '+13125550901', agentId: theirs.agentId } }), 422, 'agent_not_found'],
    ['message: contactId', () => ({ path: '/v1/messages', body: { contactId: theirs.contactId, type: 'transactional', body: 'hi' } }), 404, 'contact_not_found'],
    ['message check: contactId', () => ({ path: '/v1/messages/check', body: { contactId: theirs.contactId, type: 'transactional' } }), 404, 'contact_not_found'],
  ] as const)('%s of another workspace is refused', async (_name, request, status, code) => {
    const { path, body } = request();
    const res = await hub.http().post(path).set(await as(mine)).set('Idempotency-Key', `ref-${path}`).send(body);
    expect([res.status, res.body.code]).toEqual([status, code]);
  });

  it("enrolment: another workspace's group is 404, its contacts are reported unknown and get no run", async () => {
    const h = await as(mine);
    const flow = await hub.http().post('/v1/flows').set(h).send(flowDocument()).expect(201);
    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set(h).expect(200);
    const group = await hub.http().post(`/v1/flows/${flow.body.id}/enroll`).set(h).send({ groupId: theirs.groupId });
    expect([group.status, group.body.code]).toEqual([404, 'group_not_found']);
    const contacts = await hub.http().post(`/v1/flows/${flow.body.id}/enroll`).set(h).send({ contactIds: [theirs.contactId] }).expect(200);
    expect(contacts.body).toMatchObject({ enrolled: 0, skipped: { unknownContacts: [theirs.contactId] } });
    expect(await hub.dataSource.query('SELECT id FROM flow_run WHERE contact_id = $1', [theirs.contactId])).toEqual([]);
  });
});

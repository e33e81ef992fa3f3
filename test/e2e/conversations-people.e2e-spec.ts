import { SetupService } from '@optline/core';
import { Browser } from '../utils/browser';
import { TestHub } from '../utils/test-hub';

/**
 * People who sign in are conversation agents (decision 0220), and the inbox's filters and search
 * (decision 0221), through the API with session cookies as the console sends them.
 */
describe('conversations for people who sign in: agents, filters, search', () => {
  let hub: TestHub;
  let owner: Browser;
  const PASSWORD = 'a long enough password';

  async function member(role: string, displayName: string): Promise<Browser> {
    const email = `${role}-${displayName.split(' ')[0].toLowerCase()}@acme.test`;
    const invite = await owner.post('/v1/invitations', { email, role });
    expect(invite.status).toBe(201);
    const token = new URL(invite.body.url).pathname.split('/').pop();
    const person = new Browser(hub);
    expect((await person.post(`/v1/invitations/accept/${token}`, { displayName, password: PASSWORD })).status).toBe(201);
    return person;
  }

  beforeAll(async () => {
    hub = await TestHub.start();
    owner = new Browser(hub);
    const code = await hub.get(SetupService).issueCode();
    const res = await owner.post('/v1/setup', { setupCode: code, workspaceName: 'Acme', brandName: 'Acme Alerts', email: 'owner@acme.test', password: PASSWORD, displayName: 'Olivia Owner' });
    expect(res.status).toBe(201);
  });
  afterAll(async () => hub?.close());

  it('a support person is their own agent, named as they are; a marketer reads as the team and may not write', async () => {
    const dana = await member('support', 'Dana Reyes');
    const first = await dana.get('/v1/agents/me');
    expect(first.status).toBe(200);
    expect(first.body.agent).toMatchObject({ displayName: 'Dana Reyes', apiKeyId: null, userId: expect.any(String) });
    // The same row every time.
    expect((await dana.get('/v1/agents/me')).body.agent.id).toBe(first.body.agent.id);

    // Her new conversation is hers, and the text she writes names her to the client.
    const started = await dana.post('/v1/conversations', { phone: '+14155550123' });
    expect(started.status).toBe(200);
    expect(started.body.conversation.agent).toEqual({ id: first.body.agent.id, displayName: 'Dana Reyes' });
    const sent = await dana.send('post', `/v1/conversations/${started.body.conversation.id}/messages`, { body: 'Hi Sam' }, { headers: { 'Idempotency-Key': 'dana-1' } });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ senderName: 'Dana Reyes', held: true, reason: 'awaiting_opt_in' });

    const mia = await member('marketing', 'Mia Marketing');
    expect((await mia.get('/v1/agents/me')).body).toEqual({ agent: null });
    expect((await mia.post('/v1/conversations', { phone: '+14155550124' })).status).toBe(403);
    // Dana's conversation is not the team inbox's: a marketer does not see it.
    expect((await mia.get(`/v1/conversations/${started.body.conversation.id}`)).status).toBe(404);
    const ops = await member('operations', 'Otto Ops');
    expect((await ops.get('/v1/conversations')).status).toBe(403);
    expect((await ops.get('/v1/agents/me')).status).toBe(403);
  });

  it('filters and search: mine, unassigned, awaiting_opt_in, opted_out, name or phone typed any way; a bad filter is a 400 naming it', async () => {
    const lee = await member('support', 'Lee Park');
    const leeAgent = (await lee.get('/v1/agents/me')).body.agent.id as string;
    const kim = (await lee.post('/v1/conversations', { phone: '+14155550188' })).body.conversation;
    const team = (await lee.post('/v1/conversations', { phone: '+14155550199', agentId: null })).body.conversation;
    await lee.send('post', `/v1/conversations/${kim.id}/messages`, { body: 'Hello Kim' }, { headers: { 'Idempotency-Key': 'lee-1' } });
    await owner.patch(`/v1/contacts/${team.contact.id}`, { firstName: 'Robin', lastName: 'Quinn' });
    const optOut = await owner.post(`/v1/contacts/${team.contact.id}/consent`, { types: ['conversational'], state: 'opted_out', source: 'agent', evidence: { text: 'said no on the phone' } });
    expect(optOut.status).toBeLessThan(300);

    const ids = async (query: string) => {
      const res = await lee.get(`/v1/conversations${query}`);
      expect(res.status).toBe(200);
      return (res.body.data as { id: string }[]).map((c) => c.id).sort();
    };
    expect(await ids('?filter=mine')).toEqual([kim.id]);
    expect(await ids('?filter=unassigned')).toEqual([team.id]);
    expect(await ids('?filter=awaiting_opt_in')).toEqual([kim.id]);
    expect(await ids('?filter=opted_out')).toEqual([team.id]);
    expect(await ids('?q=robin%20qu')).toEqual([team.id]);
    expect(await ids(`?q=${encodeURIComponent('(415) 555-0188')}`)).toEqual([kim.id]);
    expect(await ids('?q=100%25')).toEqual([]);
    expect(await ids(`?filter=mine&agentId=${leeAgent}`)).toEqual([kim.id]);

    const bad = await lee.get('/v1/conversations?filter=everything');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'filter' })]));
  });
});

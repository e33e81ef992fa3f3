import { randomUUID } from 'node:crypto';
import { FactWriter } from '@optline/reporting';
import { OpenApiConformance } from '../utils/openapi-conformance';
import { waitFor } from '../utils/wait';
import { ROOT_TOKEN, TestHub, TestWorkspace } from '../utils/test-hub';

/**
 * Real answers against the document: a workspace is used through the API the way the console
 * uses it, and every answer (successes and errors) must be what the OpenAPI document says —
 * declared status, required fields present, types and nullability right, no undocumented field.
 */
describe('the hub answers what its OpenAPI document says', () => {
  let hub: TestHub;
  let ws: TestWorkspace;
  let contract: OpenApiConformance;
  const problems: string[] = [];
  /** Answers of 400 and more: the success cases must really succeed, or their schemas go untested. */
  const failures: string[] = [];
  let auth: string;

  async function call(method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, body?: object, headers: Record<string, string> = {}) {
    let req = hub.http()[method](url);
    for (const [name, value] of Object.entries({ Authorization: auth, ...headers })) if (value) req = req.set(name, value);
    const res = await (body ? req.send(body) : req);
    const type = String(res.headers['content-type'] ?? 'application/json');
    problems.push(...contract.problems(method.toUpperCase(), url, res.status, /json/.test(type) ? res.body : res.text, type));
    if (res.status >= 400) failures.push(`${res.status} ${method.toUpperCase()} ${url}`);
    return res;
  }

  beforeAll(async () => {
    hub = await TestHub.start();
    contract = new OpenApiConformance((await hub.http().get('/docs-json').expect(200)).body);
    const created = await hub
      .http()
      .post('/v1/workspaces')
      .set('Authorization', `Bearer ${ROOT_TOKEN}`)
      .send({ name: 'Contract', brandName: 'Contract Alerts', supportEmail: 'help@contract.test' })
      .expect(201);
    problems.push(...contract.problems('POST', '/v1/workspaces', 201, created.body));
    ws = new TestWorkspace(hub, created.body.workspace.id, created.body.apiKey.key);
    auth = await ws.auth('admin');
  });
  afterAll(() => hub?.close());
  beforeEach(() => {
    problems.length = 0;
    failures.length = 0;
  });

  it('workspace, keys, contacts, groups, consent, suppression', async () => {
    await call('get', '/v1/workspace');
    await call('patch', '/v1/workspace', { supportPhone: '+14155550111' });
    await call('get', '/v1/brand-profile');
    await call('get', '/v1/registration-kit');
    await call('get', '/v1/registration-kit?format=csv');
    await call('put', '/v1/brand-profile', { legalName: 'Contract Inc.', brandName: 'Contract', country: 'US', taxId: '12-3456789', website: 'https://contract.test' });
    await call('post', '/v1/api-keys', { name: 'Desk', role: 'support' });
    await call('get', '/v1/api-keys');

    const contact = (await call('post', '/v1/contacts', { phone: '+14155550123', firstName: 'Ada', email: 'ada@contract.test' })).body;
    await call('post', '/v1/contacts', { phone: '+14155550123', lastName: 'Lovelace' });
    await call('get', '/v1/contacts?limit=10');
    await call('get', `/v1/contacts/${contact.id}`);
    await call('patch', `/v1/contacts/${contact.id}`, { attributes: { tier: 'gold' } });

    const group = (await call('post', '/v1/groups', { name: 'VIP', description: 'best' })).body;
    await call('get', '/v1/groups');
    await call('get', `/v1/groups/${group.id}`);
    await call('post', `/v1/groups/${group.id}/members`, { contactIds: [contact.id] });
    await call('get', `/v1/groups/${group.id}/members`);

    await call('post', '/v1/disclosures', { text: 'By ticking this box you agree to receive recurring texts from Contract Alerts. Msg freq varies. Reply HELP for help, STOP to cancel.' });
    await call('get', '/v1/disclosures');
    await call('get', '/v1/disclosures/current');
    await call('post', `/v1/contacts/${contact.id}/consent`, { types: ['marketing'], state: 'opted_in', source: 'api', evidence: { text: 'Signed the paper form at the counter' } });
    await call('get', `/v1/contacts/${contact.id}/consent`);
    await call('get', '/v1/consent/verify');
    await call('get', `/v1/consent/at?phone=${encodeURIComponent('+14155550123')}&type=marketing`);

    await call('post', '/v1/suppression', { phone: '+14155550199', reason: 'asked by phone' });
    await call('get', '/v1/suppression');
    await call('get', `/v1/suppression/${encodeURIComponent('+14155550199')}`);
    await call('delete', `/v1/suppression/${encodeURIComponent('+14155550199')}`, { reason: 'asked again' });

    const sender = (await call('post', '/v1/senders', { kind: 'ten_dlc', address: '+14155550160', label: 'Main line', messageTypes: ['marketing', 'transactional'] })).body;
    await call('get', '/v1/senders');
    await call('get', `/v1/senders/${sender.id}`);
    await call('put', `/v1/senders/${sender.id}`, { kind: 'toll_free', address: '+18885550160', tier: 'verified', messagesPerSecond: 25, messageTypes: ['transactional'], enabled: false });
    await call('put', '/v1/senders/brand-limit', { tenDlcTier: 'score_50_74', dailyCap: null });
    await call('get', '/v1/senders/brand-limit');
    await call('delete', `/v1/senders/${sender.id}`);
    await call('post', '/v1/hygiene/deactivations', 'phone,deactivation_date\n+14155550161,2026-11-01\n' as never, { 'Content-Type': 'text/csv' });
    await call('get', '/v1/hygiene/report');

    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('messages, flows, plugins, events, provider, conversations, health', async () => {
    await call('post', '/v1/messages/check', { phone: '+14155550123', type: 'marketing' });
    const sent = (await call('post', '/v1/messages', { to: '+14155550123', type: 'transactional', body: 'Your order shipped. Reply STOP to opt out.' }, { 'Idempotency-Key': randomUUID() })).body;
    await call('get', '/v1/messages');
    await call('get', `/v1/messages/${sent.id}`);

    await call('get', '/v1/flow-templates');
    await call('get', '/v1/flow-templates/abandoned-cart');
    const flow = (await call('post', '/v1/flows/from-template', { templateKey: 'abandoned-cart' })).body;
    await call('get', '/v1/flows');
    await call('get', `/v1/flows/${flow.id}`);
    await call('post', `/v1/flows/${flow.id}/activate`);
    await call('get', `/v1/flows/${flow.id}/runs`);
    await call('get', `/v1/flows/${flow.id}/webhook-secret`);
    await call('post', `/v1/flows/${flow.id}/simulate`, { event: { checkoutToken: 'c1', checkoutUrl: 'https://shop.test/c/c1' }, correlation: { checkoutToken: 'c1' } });
    const contactId = (await call('post', '/v1/contacts', { phone: '+14155550124' })).body.id;
    const enrolled = (await call('post', `/v1/flows/${flow.id}/enroll`, { contactIds: [contactId] })).body;
    if (enrolled.runIds?.[0]) {
      await call('get', `/v1/runs/${enrolled.runIds[0]}`);
      await call('post', `/v1/runs/${enrolled.runIds[0]}/exit`);
    }
    await call('post', `/v1/flows/${flow.id}/pause`);
    await call('post', '/v1/conversations', { phone: '+14155550125' });

    await call('get', '/v1/plugins');
    await call('get', '/v1/plugins/web-forms');
    await call('get', '/v1/events');
    await call('get', '/v1/sms-provider');

    await call('get', '/v1/conversation-settings');
    await call('post', '/v1/agents', { displayName: 'Dana Reyes' });
    await call('get', '/v1/agents');
    await call('get', '/v1/conversations');
    await call('get', '/v1/imports');

    auth = '';
    await call('get', '/health');
    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
    auth = await ws.auth('admin');
  });

  it('segments and campaigns', async () => {
    const contact = (await call('post', '/v1/contacts', { phone: '+14155550177', firstName: 'Cy' })).body;
    const group = (await call('post', '/v1/groups', { name: 'Campaign group' })).body;
    await call('post', `/v1/groups/${group.id}/members`, { contactIds: [contact.id] });
    const conditions = { and: [{ '>=': [{ var: 'contact.ordersCount' }, 0] }, { '!': { inGroup: group.id } }] };
    await call('post', '/v1/segments/preview', { conditions });
    const segment = (await call('post', '/v1/segments', { name: 'Everyone else', description: null, conditions })).body;
    await call('get', '/v1/segments');
    await call('get', `/v1/segments/${segment.id}`);
    await call('get', `/v1/segments/${segment.id}/count`);
    await call('patch', `/v1/segments/${segment.id}`, { name: 'Everyone else (2)' });
    const campaign = (
      await call('post', '/v1/campaigns', {
        name: 'Contract sale',
        audience: { groupId: group.id, excludeSegmentIds: [segment.id] },
        content: { kind: 'message', messageType: 'marketing', body: 'Sale! Reply STOP to opt out.' },
        schedule: { mode: 'local', localTime: '2027-06-02T10:00' },
        throttlePerMinute: 100,
      })
    ).body;
    await call('get', '/v1/campaigns');
    await call('get', `/v1/campaigns/${campaign.id}`);
    await call('patch', `/v1/campaigns/${campaign.id}`, { name: 'Contract sale (edited)' });
    await call('post', `/v1/campaigns/${campaign.id}/test-send`, { phone: '+14155550177' });
    await call('post', `/v1/campaigns/${campaign.id}/schedule`, {});
    await call('get', `/v1/campaigns/${campaign.id}/progress`);
    await call('post', `/v1/campaigns/${campaign.id}/pause`);
    await call('post', `/v1/campaigns/${campaign.id}/resume`);
    await call('post', `/v1/campaigns/${campaign.id}/cancel`);
    await call('get', `/v1/messages?campaignId=${campaign.id}`);
    await call('delete', `/v1/campaigns/${campaign.id}`);
    await call('delete', `/v1/segments/${segment.id}`);
    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('reports', async () => {
    await call('post', '/v1/messages', { to: '+14155550188', type: 'marketing', body: 'Sale! Reply STOP to opt out.' }, { 'Idempotency-Key': 'contract-report-1' });
    await waitFor('the blocked message', async () => (await hub.dataSource.query(`SELECT 1 FROM message WHERE workspace_id = $1 AND status = 'blocked'`, [ws.id])).length > 0);
    await hub.get(FactWriter).flush();
    const flow = (await call('post', '/v1/flows/from-template', { templateKey: 'abandoned-cart' })).body;
    expect((await call('get', '/v1/reports/series?groupBy=type')).body.rows.length).toBeGreaterThan(0);
    await call('get', '/v1/reports/series?granularity=hour');
    await call('get', '/v1/reports/series?format=csv');
    await call('get', '/v1/reports/breakdown?groupBy=flow');
    await call('get', '/v1/reports/reasons');
    await call('get', '/v1/reports/links?limit=5');
    await call('get', `/v1/reports/funnel/${flow.id}`);
    await call('get', '/v1/reports/settings');
    await call('put', '/v1/reports/settings', { segmentPrices: { console: 0.01 }, optOutWarningRate: 0.03 });
    await call('get', '/v1/reports/recompute');
    await call('post', '/v1/reports/recompute');
    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('public pages and hooks: hosted form, embed script, JSON submissions, unknown forms, links and installations', async () => {
    const form = {
      key: 'join',
      title: 'Get our texts',
      fields: [{ name: 'firstName', label: 'First name' }],
      consentTypes: ['marketing'],
      termsUrl: 'https://contract.test/sms-terms',
      privacyUrl: 'https://contract.test/privacy',
      successText: 'Thanks!',
      allowedOrigins: ['https://contract.test'],
    };
    await call('put', '/v1/plugins/web-forms', { config: { forms: [form] } });
    await call('post', '/v1/plugins/web-forms/enable');
    const formId = (await call('get', '/v1/forms')).body.data[0].formId;
    auth = '';
    await call('get', `/f/${formId}`);
    await call('get', `/f/${formId}/embed.js`);
    await call('post', `/v1/forms/${formId}/submissions`, { phone: '+14155550130', consent: true, fields: { firstName: 'Ada' } }, { Origin: 'https://contract.test' });
    await call('post', `/f/${formId}`, { phone: '+14155550131', consent: 'yes', firstName: 'Bo' }, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(failures).toEqual([]);

    await call('get', `/f/join-${randomUUID()}`).then((res) => expect(res.status).toBe(404));
    await call('get', '/l/NoSuchLink1').then((res) => expect(res.status).toBe(404));
    await call('post', `/hooks/shopify/${randomUUID()}`, { id: 1 }).then((res) => expect(res.status).toBe(404));
    await call('post', `/hooks/sms/http/${ws.id}`, { id: 'x', from: '+14155550132', body: 'hi' }).then((res) => expect(res.status).toBe(404));
    auth = await ws.auth('admin');
    expect(problems).toEqual([]);
  });

  it('errors are the declared error body: 400, 401, 403, 404, 422', async () => {
    await call('get', `/v1/contacts/${randomUUID()}`).then((res) => expect(res.status).toBe(404));
    await call('get', '/v1/contacts/not-a-uuid').then((res) => expect(res.status).toBe(400));
    await call('post', '/v1/contacts', { phone: 'nope' }).then((res) => expect([400, 422]).toContain(res.status));
    auth = await ws.auth('support');
    await call('post', '/v1/api-keys', { name: 'x', role: 'admin' }).then((res) => expect(res.status).toBe(403));
    auth = 'Bearer olk_00000000_not-a-key';
    await call('get', '/v1/contacts').then((res) => expect(res.status).toBe(401));
    auth = await ws.auth('admin');
    expect(problems).toEqual([]);
  });
});

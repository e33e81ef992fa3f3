import { TestHub, TestWorkspace } from '../utils/test-hub';

const PROFILE = {
  legalName: 'Acme Incorporated',
  brandName: 'Acme Alerts',
  country: 'US',
  taxId: '12-3456789',
  website: 'https://acme.test',
  privacyUrl: 'https://acme.test/privacy',
  termsUrl: 'https://acme.test/terms',
  contactName: 'Dana Reyes',
  contactEmail: 'dana@acme.test',
  contactPhone: '+14155550100',
};

const flow = (name: string, messageType: string, event: string, template: string, ...later: string[]) => ({
  name,
  messageType,
  trigger: { events: [event] },
  reentry: { mode: 'never' },
  steps: [{ id: 'text', type: 'send', template }, ...later.flatMap((t, i) => [{ id: `wait-${i}`, type: 'wait', duration: 'P1D' }, { id: `later-${i}`, type: 'send', template: t }])],
});

/** The sender registration kit is built from the workspace's real active flows and consent, and says what vetting would reject. */
describe('registration kit (GET /v1/registration-kit)', () => {
  let hub: TestHub;
  let acme: TestWorkspace;
  let other: TestWorkspace;
  const ids: Record<string, string> = {};

  async function activate(ws: TestWorkspace, doc: object): Promise<string> {
    const auth = await ws.auth();
    const created = await hub.http().post('/v1/flows').set('Authorization', auth).send(doc);
    expect([created.status, created.body.message]).toEqual([201, undefined]);
    await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', auth).expect(200);
    return created.body.id;
  }
  const kit = async (ws: TestWorkspace, query = '') => hub.http().get(`/v1/registration-kit${query}`).set('Authorization', await ws.auth('marketing'));

  beforeAll(async () => {
    hub = await TestHub.start();
    acme = await hub.createWorkspace();
    other = await hub.createWorkspace({ name: 'Other', brandName: 'Globex' });
    await hub.http().put('/v1/brand-profile').set('Authorization', await acme.auth()).send(PROFILE).expect(200);
    ids.winBack = await activate(acme, flow('Win-back', 'marketing', 'contact.created', '{{ workspace.brandName }}: Hi {{ contact.firstName }}, 15% off with code BACK15 at https://bit.ly/acme15 Reply STOP to opt out.', '{{ workspace.brandName }}: last day for BACK15, {{ contact.firstName }}!'));
    ids.wine = await activate(acme, flow('Wine night', 'marketing', 'contact.created', '{{ workspace.brandName }}: wine tasting Friday for {{ contact.firstName }}! Reply STOP to opt out.'));
    ids.shipped = await activate(acme, flow('Order shipped', 'transactional', 'order.shipped', '{{ workspace.brandName }}: your order has shipped, {{ contact.firstName }}. Reply STOP to opt out.'));
    ids.booked = await activate(acme, flow('Booking', 'transactional', 'appointment.booked', '{{ workspace.brandName }}: you are booked, {{ contact.firstName }}. Reply STOP to opt out.', 'Zenith Spa: see you soon {{ contact.firstName }}. Call +1 415 555 0100 to change.'));
    // A draft is not sent, so it is not registered.
    await hub.http().post('/v1/flows').set('Authorization', await acme.auth()).send(flow('Draft promo', 'marketing', 'contact.created', '{{ workspace.brandName }}: draft at tinyurl.com/x Reply STOP to opt out.')).expect(201);
    await activate(other, flow('Globex secret', 'marketing', 'contact.created', '{{ workspace.brandName }}: secret sale {{ contact.firstName }}. Reply STOP to opt out.'));
    // Marketing consent proven through the API; no transactional consent anywhere.
    const contact = await hub.http().post('/v1/contacts').set('Authorization', await acme.auth()).send({ phone: '+14155550123', firstName: 'Ada' }).expect(201);
    await hub.http().post(`/v1/contacts/${contact.body.id}/consent`).set('Authorization', await acme.auth()).send({ types: ['marketing'], state: 'opted_in', evidence: { text: 'signed up at the counter' } }).expect(201);
  });
  afterAll(() => hub.close());

  it('has one campaign per use case of the active flows, with samples rendered from their send steps', async () => {
    const res = await kit(acme);
    expect(res.status).toBe(200);
    const byCase = Object.fromEntries((res.body.campaigns as { useCase: string }[]).map((c) => [c.useCase, c]));
    expect(Object.keys(byCase).sort()).toEqual(['Account notifications', 'Delivery notifications', 'Marketing']);
    expect(byCase.Marketing).toMatchObject({
      messageType: 'marketing',
      samples: [
        { flowId: ids.winBack, flowName: 'Win-back', stepId: 'text', text: 'Acme Alerts: Hi Alex, 15% off with code BACK15 at https://bit.ly/acme15 Reply STOP to opt out.' },
        { flowId: ids.winBack, stepId: 'later-0', text: 'Acme Alerts: last day for BACK15, Alex!' },
        { flowId: ids.wine, text: 'Acme Alerts: wine tasting Friday for Alex! Reply STOP to opt out.' },
      ],
      consentSources: ['api'],
      embeddedLinks: true,
      ageGated: true,
      optOutKeywords: expect.arrayContaining(['STOP', 'UNSUBSCRIBE']),
      helpKeywords: expect.arrayContaining(['HELP']),
      optOutReply: expect.stringContaining('Acme Alerts: You have been unsubscribed'),
      helpReply: expect.stringContaining('help@acme.test'),
    });
    expect(byCase['Delivery notifications']).toMatchObject({ samples: [{ flowId: ids.shipped, text: 'Acme Alerts: your order has shipped, Alex. Reply STOP to opt out.' }], embeddedLinks: false, embeddedPhone: false, ageGated: false, consentSources: [] });
    expect(byCase['Account notifications']).toMatchObject({ samples: [{ flowId: ids.booked, stepId: 'text' }, { flowId: ids.booked, stepId: 'later-0', text: 'Zenith Spa: see you soon Alex. Call +1 415 555 0100 to change.' }], embeddedPhone: true });
    expect(res.body.brand).toMatchObject({ legalName: 'Acme Incorporated', missing: [], urlReachability: 'not_checked' });
  });

  it('lists what vetting would reject, each with its flow and step', async () => {
    const findings = (await kit(acme)).body.findings as { code: string; flowId: string | null; stepId: string | null; useCase: string | null }[];
    const summary = findings.map((f) => `${f.code} ${f.flowId ?? f.useCase}${f.stepId ? `/${f.stepId}` : ''}`).sort();
    expect(summary).toEqual(
      [
        `brand_mismatch ${ids.booked}/later-0`,
        `missing_opt_out ${ids.winBack}/later-0`,
        `public_shortener ${ids.winBack}/text`,
        'no_consent_source Account notifications',
        'no_consent_source Delivery notifications',
      ].sort(),
    );
    expect(findings.find((f) => f.code === 'public_shortener')).toMatchObject({ stepId: 'text', message: expect.stringContaining('bit.ly') });
  });

  it('reports missing brand fields when the profile is incomplete', async () => {
    await hub.http().put('/v1/brand-profile').set('Authorization', await acme.auth()).send({ ...PROFILE, taxId: null, termsUrl: null }).expect(200);
    const findings = (await kit(acme)).body.findings as { code: string; message: string }[];
    expect(findings.filter((f) => f.code === 'missing_brand_field').map((f) => f.message)).toEqual(['The brand profile has no taxId', 'The brand profile has no termsUrl']);
    await hub.http().put('/v1/brand-profile').set('Authorization', await acme.auth()).send(PROFILE).expect(200);
  });

  it('exports one CSV row per campaign, with its samples and findings', async () => {
    const res = await kit(acme, '?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('use_case,message_type,senders,description,message_flow,sample_1,sample_2,sample_3,sample_4,sample_5,opt_out_keywords,opt_out_reply,help_keywords,help_reply,embedded_links,embedded_phone,age_gated,findings');
    expect(lines).toHaveLength(4);
    const marketing = lines.find((l) => l.startsWith('Marketing,'))!;
    expect(marketing).toContain('Acme Alerts: Hi Alex, 15% off with code BACK15 at https://bit.ly/acme15 Reply STOP to opt out.');
    expect(marketing).toContain('public_shortener (Win-back/text)');
    expect((await kit(acme, '?format=xml')).status).toBe(400);
  });

  it('describes the opt-in through the enabled hosted web form by its public address', async () => {
    const shop = await hub.createWorkspace({ name: 'Shop', brandName: 'Shop Alerts' });
    const auth = await shop.auth();
    const form = { key: 'join', title: 'Get our texts', fields: [{ name: 'firstName', label: 'First name' }], successText: 'Thanks!', consentTypes: ['marketing'], termsUrl: 'https://shop.test/terms', privacyUrl: 'https://shop.test/privacy', allowedOrigins: ['https://shop.test'] };
    const configured = await hub.http().put('/v1/plugins/web-forms').set('Authorization', auth).send({ config: { forms: [form] } });
    expect([configured.status, configured.body.message]).toEqual([200, undefined]);
    await hub.http().post('/v1/plugins/web-forms/enable').set('Authorization', auth).expect(200);
    const listed = await hub.http().get('/v1/forms').set('Authorization', auth).expect(200);
    await activate(shop, flow('Shop promo', 'marketing', 'contact.created', '{{ workspace.brandName }}: new arrivals for {{ contact.firstName }}. Reply STOP to opt out.'));
    const marketing = ((await kit(shop)).body.campaigns as { useCase: string; messageFlow: string }[]).find((c) => c.useCase === 'Marketing')!;
    expect(marketing.messageFlow).toContain(`our web form (https://hub.optline.test/f/${listed.body.data[0].formId})`);
  });

  it("never shows another workspace's flows", async () => {
    const acmeKit = JSON.stringify((await kit(acme)).body);
    expect(acmeKit).not.toMatch(/Globex|secret sale/);
    const otherKit = (await kit(other)).body;
    expect(otherKit.campaigns.map((c: { samples: { text: string }[] }) => c.samples.map((s) => s.text))).toEqual([['Globex: secret sale Alex. Reply STOP to opt out.']]);
    expect(JSON.stringify(otherKit)).not.toMatch(/Acme|Zenith|Win-back/);
  });

  it('names the senders each campaign goes out from, and flags a use case no sender may carry', async () => {
    const auth = await acme.auth();
    const sender = await hub.http().post('/v1/senders').set('Authorization', auth).send({ kind: 'ten_dlc', address: '+14155550199', messageTypes: ['marketing'] }).expect(201);
    const body = (await kit(acme)).body as { campaigns: { useCase: string; senders: string[] }[]; findings: { code: string; useCase: string | null }[] };
    expect(Object.fromEntries(body.campaigns.map((c) => [c.useCase, c.senders]))).toEqual({ Marketing: ['+14155550199'], 'Delivery notifications': [], 'Account notifications': [] });
    expect(body.findings.filter((f) => f.code === 'no_sender').map((f) => f.useCase).sort()).toEqual(['Account notifications', 'Delivery notifications']);
    const csv = (await kit(acme, '?format=csv')).text;
    expect(csv.split('\n').find((l) => l.startsWith('Marketing,'))).toMatch(/^Marketing,marketing,\+14155550199,/);
    await hub.http().delete(`/v1/senders/${sender.body.id}`).set('Authorization', auth).expect(204);
  });
});

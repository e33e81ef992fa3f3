import { PreferenceLinks } from '@optline/plugin-sdk';
import { signSubmission } from '@optline/plugin-web-forms';
import { Webhook } from 'standardwebhooks';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { eventually } from '../utils/wait';

const SIGNING_SECRET = 'whsec_test_0123456789abcdef';
const STANDARD_SECRET = `whsec_${Buffer.alloc(32, 42).toString('base64')}`;

function formConfig(overrides: Record<string, unknown> = {}) {
  return {
    key: 'newsletter',
    title: 'Get our texts',
    intro: 'Order updates and offers, straight to your phone.',
    fields: [
      { name: 'firstName', label: 'First name', required: true },
      { name: 'email', label: 'Email', type: 'email' },
      { name: 'favoriteStore', label: 'Favourite store' },
    ],
    consentTypes: ['marketing'],
    termsUrl: 'https://acme.test/sms-terms',
    privacyUrl: 'https://acme.test/privacy',
    successText: 'Thanks! Reply YES to the text we just sent to confirm.',
    allowedOrigins: ['https://acme.test'],
    ...overrides,
  };
}

describe('web-forms plugin: hosted form, JSON endpoint, preference page', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(() => hub.close());

  async function setUp(form: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<{ ws: TestWorkspace; formId: string }> {
    const ws = await hub.createWorkspace({ brandName: 'Acme Alerts' });
    const auth = await ws.auth();
    await hub.http().put('/v1/plugins/web-forms').set('Authorization', auth).send({ config: { forms: [formConfig(form)], ...extra } }).expect(200);
    await hub.http().post('/v1/plugins/web-forms/enable').set('Authorization', auth).expect(200);
    const forms = await hub.http().get('/v1/forms').set('Authorization', await ws.auth('marketing')).expect(200);
    return { ws, formId: forms.body.data[0].formId };
  }

  const consentEvents = (workspaceId: string) =>
    hub.dataSource.query(
      `SELECT e.message_type, e.state, e.source, e.evidence, e.disclosure_id, d.text AS disclosure_text, d.version
         FROM consent_event e LEFT JOIN disclosure d ON d.id = e.disclosure_id
        WHERE e.workspace_id = $1 AND e.kind = 'consent' ORDER BY e.seq`,
      [workspaceId],
    );

  const formEvents = (workspaceId: string) =>
    hub.dataSource.query(`SELECT * FROM trigger_event WHERE workspace_id = $1 AND type = 'form.submitted' ORDER BY received_at`, [workspaceId]);

  it('refuses a bad config naming the field, and accepts a good one with the secret encrypted and masked', async () => {
    const ws = await hub.createWorkspace();
    const auth = await ws.auth();
    const bad = await hub
      .http()
      .put('/v1/plugins/web-forms')
      .set('Authorization', auth)
      .send({ config: { forms: [formConfig({ termsUrl: 'not a url', disclosureText: 'Acme texts you whenever it likes, no way to stop them.' })] } })
      .expect(422);
    const fields = bad.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['config.forms[0].termsUrl', 'config.forms[0].disclosureText']));
    expect(bad.body.details.find((d: { field: string }) => d.field === 'config.forms[0].disclosureText').message).toMatch(/Msg & data rates may apply.*STOP.*HELP/);

    const good = await hub.http().put('/v1/plugins/web-forms').set('Authorization', auth).send({ config: { forms: [formConfig()], signingSecret: SIGNING_SECRET } }).expect(200);
    expect(good.body.installation).toMatchObject({ enabled: false, webhookUrl: null, config: { signingSecret: '********' } });
    const row = (await hub.dataSource.query('SELECT config, secrets, key_id FROM plugin_installation WHERE workspace_id = $1', [ws.id]))[0];
    expect(JSON.stringify(row)).not.toContain(SIGNING_SECRET);
    expect(row.config.signingSecret).toBeUndefined();
    expect(row.secrets).toMatchObject({ keyId: row.key_id, iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });

    // Sending the mask back (what a UI does) keeps the secret; the form still verifies with it.
    const catalogue = await hub.http().get('/v1/plugins').set('Authorization', auth).expect(200);
    const webForms = catalogue.body.data.find((p: { id: string }) => p.id === 'web-forms');
    expect(webForms.configSchema.properties.signingSecret).toMatchObject({ type: 'string', secret: true });
    expect(webForms.configSchema.required).toEqual(['forms']);
    await hub.http().put('/v1/plugins/web-forms').set('Authorization', auth).send({ config: webForms.installation.config }).expect(200);
    const after = (await hub.dataSource.query('SELECT secrets FROM plugin_installation WHERE workspace_id = $1', [ws.id]))[0];
    expect(after.secrets).not.toBeNull();
    await hub.http().put('/v1/plugins/web-forms').set('Authorization', await ws.auth('marketing')).send({ config: {} }).expect(403);
  });

  it('serves an accessible page with an unticked consent box next to the full disclosure', async () => {
    const { formId } = await setUp();
    const res = await hub.http().get(`/f/${formId}`).query({ utm_source: 'instagram' }).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = res.text;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(html).toMatch(/<input type="checkbox" id="consent" name="consent" value="yes" aria-describedby="disclosure">/);
    expect(html).not.toMatch(/id="consent"[^>]*checked/);
    expect(html).toContain('<label for="phone">Mobile phone</label>');
    expect(html).toContain('autocomplete="tel" inputmode="tel"');
    const disclosure = /<p class="disclosure" id="disclosure">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(disclosure).toContain('from Acme Alerts');
    expect(disclosure).toContain('marketing text messages');
    expect(disclosure).toContain('Msg frequency varies. Msg &amp; data rates may apply. Reply STOP to cancel, HELP for help.');
    expect(disclosure).toContain('<a href="https://acme.test/sms-terms"');
    expect(disclosure).toContain('<a href="https://acme.test/privacy"');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self' https://acme.test");
    expect(res.headers['x-frame-options']).toBeUndefined();

    await hub.http().get('/f/newsletter-00000000-0000-4000-8000-000000000000').expect(404);
    const snippet = await hub.http().get(`/f/${formId}/embed.js`).expect(200);
    expect(snippet.text).toContain(`https://hub.optline.test/f/${formId}?embed=1&ref=`);
  });

  it('records a pending opt-in with full evidence from a real form post, and the lead flows', async () => {
    const { ws, formId } = await setUp();
    const page = await hub.http().get(`/f/${formId}`).expect(200);
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.text)?.[1];
    const res = await hub
      .http()
      .post(`/f/${formId}`)
      .type('form')
      .set('User-Agent', 'Mozilla/5.0 (iPhone) FormTest')
      .send({
        phone: '(415) 555-0123',
        firstName: 'Ada',
        email: 'ada@example.com',
        favoriteStore: 'Main St',
        consent: 'yes',
        website: '',
        submissionId: hidden('submissionId')!,
        disclosureId: hidden('disclosureId')!,
        pageUrl: 'https://acme.test/sms',
      })
      .expect(200);
    expect(res.text).toContain('Thanks! Reply YES to the text we just sent to confirm.');

    const [entry] = await eventually(async () => {
      const rows = await consentEvents(ws.id);
      return rows.length > 0 ? rows : undefined;
    }, 'the consent entry');
    expect(entry).toMatchObject({ message_type: 'marketing', state: 'pending', source: 'web_form', disclosure_id: hidden('disclosureId'), version: 1 });
    expect(entry.disclosure_text).toContain('Reply STOP to cancel, HELP for help.');
    expect(entry.evidence).toMatchObject({
      checkbox: true,
      checkboxPrechecked: false,
      disclosureVersion: 1,
      formKey: 'newsletter',
      pageUrl: 'https://acme.test/sms',
      formUrl: `https://hub.optline.test/f/${formId}`,
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      userAgent: 'Mozilla/5.0 (iPhone) FormTest',
      submittedVia: 'hosted_page',
      submittedAt: hub.manualClock.now().toISOString(),
      fields: { firstName: 'Ada', email: 'ada@example.com', favoriteStore: 'Main St' },
    });
    const state = await hub.dataSource.query(`SELECT state FROM consent_state WHERE workspace_id = $1 AND message_type = 'marketing'`, [ws.id]);
    expect(state).toEqual([{ state: 'pending' }]);
    const contact = await hub.dataSource.query('SELECT phone, first_name, email, attributes FROM contact WHERE workspace_id = $1', [ws.id]);
    expect(contact).toEqual([{ phone: '+14155550123', first_name: 'Ada', email: 'ada@example.com', attributes: { favoriteStore: 'Main St' } }]);

    // The same page posted twice (a double click) is one submission.
    await hub.http().post(`/f/${formId}`).type('form').send({ phone: '(415) 555-0123', firstName: 'Ada', consent: 'yes', submissionId: hidden('submissionId')! }).expect(200);
    expect(await formEvents(ws.id)).toHaveLength(1);
  });

  it('without the checkbox records no consent, but the lead event still flows', async () => {
    const { ws, formId } = await setUp();
    await hub.http().post(`/f/${formId}`).type('form').send({ phone: '+14155550124', firstName: 'Bo' }).expect(200);
    const [event] = await eventually(async () => {
      const rows = await formEvents(ws.id);
      return rows[0]?.status === 'processed' || rows[0]?.status === 'ignored' ? rows : undefined;
    }, 'the form event to be dispatched');
    expect(event.payload).toMatchObject({ consentChecked: false, consentTypes: [], fields: { firstName: 'Bo' } });
    expect(event.consent_hint).toBeNull();
    expect(event.contact_id).not.toBeNull();
    expect(await consentEvents(ws.id)).toEqual([]);
  });

  it('re-renders a bad submission with each field’s message and stores nothing', async () => {
    const { ws, formId } = await setUp();
    const res = await hub.http().post(`/f/${formId}`).type('form').send({ phone: '12', email: 'nope', consent: 'yes' }).expect(422);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toMatch(/id="phone" name="phone" type="tel" value="12" required aria-invalid="true" aria-describedby="phone-error"/);
    expect(res.text).toContain('<p class="error" id="phone-error">Enter a valid mobile phone number, e.g. (415) 555-0123</p>');
    expect(res.text).toContain('<p class="error" id="firstName-error">First name is required</p>');
    expect(res.text).toContain('<p class="error" id="email-error">Email must be an email address</p>');
    expect(res.text).toMatch(/id="consent" name="consent" value="yes" aria-describedby="disclosure" checked/);
    expect(await formEvents(ws.id)).toEqual([]);
  });

  it('drops a filled honeypot silently and rate-limits per phone and per IP', async () => {
    const { ws, formId } = await setUp({ rateLimits: { perPhonePerHour: 2, perIpPerHour: 3 } });
    const bot = await hub.http().post(`/f/${formId}`).type('form').send({ phone: '+14155550125', firstName: 'Bot', consent: 'yes', website: 'http://spam.test' }).expect(200);
    expect(bot.text).toContain('Thanks! Reply YES');
    expect(await formEvents(ws.id)).toEqual([]);

    await hub.http().post(`/f/${formId}`).type('form').send({ phone: '+14155550126', firstName: 'A' }).expect(200);
    await hub.http().post(`/f/${formId}`).type('form').send({ phone: '+14155550126', firstName: 'A' }).expect(200);
    const samePhone = await hub.http().post(`/f/${formId}`).type('form').send({ phone: '+1 415 555 0126', firstName: 'A' }).expect(429);
    // The hour opened at the phone's first sign-up (rate-limiter-flexible, decision 0237).
    expect(Number(samePhone.headers['retry-after'])).toBeGreaterThanOrEqual(3590);
    expect(Number(samePhone.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(samePhone.text).toContain('Too many sign-ups');
    const sameIp = await hub.http().post(`/v1/forms/${formId}/submissions`).send({ phone: '+14155550127', fields: { firstName: 'C' } }).expect(429);
    expect(sameIp.body.code).toBe('too_many_submissions');
    expect(await formEvents(ws.id)).toHaveLength(2);
  });

  it('takes JSON from allowed origins only (CORS), naming bad fields', async () => {
    const { ws, formId } = await setUp();
    const preflight = await hub
      .http()
      .options(`/v1/forms/${formId}/submissions`)
      .set('Origin', 'https://acme.test')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type')
      .expect(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'https://acme.test', 'access-control-allow-methods': 'POST' });
    const refusedPreflight = await hub.http().options(`/v1/forms/${formId}/submissions`).set('Origin', 'https://evil.test').expect(403);
    expect(refusedPreflight.headers['access-control-allow-origin']).toBeUndefined();

    const ok = await hub
      .http()
      .post(`/v1/forms/${formId}/submissions`)
      .set('Origin', 'https://acme.test')
      .send({ phone: '415-555-0128', consent: true, fields: { firstName: 'Dee' }, pageUrl: 'https://acme.test/join' })
      .expect(202);
    expect(ok.headers['access-control-allow-origin']).toBe('https://acme.test');
    expect(ok.body).toMatchObject({ status: 'accepted', duplicate: false, consentRequested: true, message: 'Thanks! Reply YES to the text we just sent to confirm.' });

    const badPhone = await hub.http().post(`/v1/forms/${formId}/submissions`).set('Origin', 'https://acme.test').send({ phone: 'call me', fields: { firstName: 'E' } }).expect(422);
    expect(badPhone.headers['access-control-allow-origin']).toBe('https://acme.test');
    expect(badPhone.body.details).toEqual([{ field: 'phone', message: expect.stringContaining('valid mobile phone') }]);
    const unknownField = await hub.http().post(`/v1/forms/${formId}/submissions`).set('Origin', 'https://acme.test').send({ phone: '+14155550129', fields: { firstName: 'E', shoeSize: 9 } }).expect(422);
    expect(unknownField.body.details).toEqual([{ field: 'fields.shoeSize', message: 'shoeSize is not a field of this form' }]);
    const malformed = await hub.http().post(`/v1/forms/${formId}/submissions`).set('Origin', 'https://acme.test').send({ phone: 5, consent: 'maybe' }).expect(400);
    expect(malformed.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['phone', 'consent']));

    const foreign = await hub.http().post(`/v1/forms/${formId}/submissions`).set('Origin', 'https://evil.test').send({ phone: '+14155550130' }).expect(403);
    expect(foreign.body.code).toBe('origin_not_allowed');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();

    const [entry] = await eventually(async () => {
      const rows = await consentEvents(ws.id);
      return rows.length > 0 ? rows : undefined;
    }, 'the consent entry');
    expect(entry.evidence).toMatchObject({ submittedVia: 'json', pageUrl: 'https://acme.test/join', checkbox: true });
    expect(await formEvents(ws.id)).toHaveLength(1);
  });

  it('requires a Standard Webhooks signature from servers when the installation has a signing secret', async () => {
    const { ws, formId } = await setUp({}, { signingSecret: STANDARD_SECRET });
    const body = JSON.stringify({ phone: '+14155550131', consent: true, fields: { firstName: 'Fi' }, visitor: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 Server' } });
    const unsigned = await hub.http().post(`/v1/forms/${formId}/submissions`).set('Content-Type', 'application/json').send(body).expect(401);
    expect(unsigned.body.code).toBe('invalid_signature');
    // The site's server signs with the Standard Webhooks library, as docs/webhooks.md shows.
    const at = hub.manualClock.now();
    const signed = (secret: string) => ({ 'webhook-id': 'signup-1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('signup-1', at, body) });
    const forged = await hub.http().post(`/v1/forms/${formId}/submissions`).set('Content-Type', 'application/json').set(signed(`whsec_${Buffer.alloc(32, 7).toString('base64')}`)).send(body).expect(401);
    expect(forged.body.message).toMatch(/does not match/);
    await hub.http().post(`/v1/forms/${formId}/submissions`).set('Content-Type', 'application/json').set(signed(STANDARD_SECRET)).send(body).expect(202);
    const [entry] = await eventually(async () => {
      const rows = await consentEvents(ws.id);
      return rows.length > 0 ? rows : undefined;
    }, 'the consent entry');
    expect(entry.evidence).toMatchObject({ submittedVia: 'server', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 Server' });
  });

  it('still accepts the older X-Optline-Signature from a server that has not moved yet, and only with the right secret', async () => {
    const { formId } = await setUp({}, { signingSecret: SIGNING_SECRET });
    const body = JSON.stringify({ phone: '+14155550133', consent: true, fields: { firstName: 'Ole' } });
    const t = Math.floor(hub.manualClock.nowMs() / 1000);
    await hub.http().post(`/v1/forms/${formId}/submissions`).set('Content-Type', 'application/json').set('X-Optline-Signature', signSubmission('another-secret-entirely', body, t)).send(body).expect(401);
    await hub.http().post(`/v1/forms/${formId}/submissions`).set('Content-Type', 'application/json').set('X-Optline-Signature', signSubmission(SIGNING_SECRET, body, t)).send(body).expect(202);
  });

  it('lets a person change types or stop all on the preference page, each change a ledger entry', async () => {
    const { ws, formId } = await setUp({ consentTypes: ['marketing', 'transactional'] });
    await hub.http().post(`/f/${formId}`).type('form').send({ phone: '+14155550132', firstName: 'Gil', consent: 'yes' }).expect(200);
    const contactId = await eventually(async () => {
      const rows = await hub.dataSource.query('SELECT contact_id FROM consent_event WHERE workspace_id = $1', [ws.id]);
      return rows[0]?.contact_id as string | undefined;
    }, 'the contact');
    const url = hub.get(PreferenceLinks).urlFor(ws.id, contactId);
    expect(url).toMatch(/^https:\/\/hub\.optline\.test\/p\/[\w-]+\.[\w-]+$/);
    expect(url.length).toBeLessThan(110);
    const path = new URL(url).pathname;

    const page = await hub.http().get(path).expect(200);
    expect(page.text).toContain('Your text messages from Acme Alerts');
    expect(page.text).toContain('+1415•••0132');
    expect(page.text).toMatch(/id="type-marketing" name="types" value="marketing" checked/);
    expect(page.text).toMatch(/id="type-conversational" name="types" value="conversational" aria-describedby/);

    const saved = await hub.http().post(path).type('form').set('User-Agent', 'Mozilla/5.0 PrefTest').send('types=transactional&types=conversational&action=save').expect(200);
    expect(saved.text).toContain('Your choices are saved.');
    const afterSave = (await consentEvents(ws.id)).slice(2);
    expect(afterSave.map((e: { message_type: string; state: string; source: string }) => [e.message_type, e.state, e.source])).toEqual([
      ['marketing', 'opted_out', 'web_form'],
      ['conversational', 'opted_in', 'web_form'],
    ]);
    expect(afterSave[0].evidence).toMatchObject({ page: 'preferences', action: 'save', userAgent: 'Mozilla/5.0 PrefTest' });

    const stopped = await hub.http().post(path).type('form').send({ action: 'stop_all' }).expect(200);
    expect(stopped.text).toContain('You will get no more texts from us.');
    const states = await hub.dataSource.query('SELECT message_type, state FROM consent_state WHERE workspace_id = $1 ORDER BY message_type', [ws.id]);
    expect(states).toEqual([
      { message_type: 'conversational', state: 'opted_out' },
      { message_type: 'marketing', state: 'opted_out' },
      { message_type: 'transactional', state: 'opted_out' },
    ]);

    const tampered = path.slice(0, -2) + (path.endsWith('AA') ? 'AB' : 'AA');
    await hub.http().get(tampered).expect(404);
    await hub.http().post(tampered).type('form').send({ action: 'stop_all' }).expect(404);
  });

  it('refuses submissions once the installation is disabled', async () => {
    const { ws, formId } = await setUp();
    await hub.http().post('/v1/plugins/web-forms/disable').set('Authorization', await ws.auth()).expect(200);
    await hub.http().get(`/f/${formId}`).expect(404);
    await hub.http().post(`/v1/forms/${formId}/submissions`).set('Origin', 'https://acme.test').send({ phone: '+14155550133' }).expect(404);
    expect(await formEvents(ws.id)).toEqual([]);
  });
});

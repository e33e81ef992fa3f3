import request from 'supertest';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

describeInBrowser('console: contacts and messages (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let key: string;
  let ada: string;
  let bo: string;
  let blockedMessage: string;

  const api = () => request(h.hub.app.getHttpServer());
  const contact = async (phone: string, firstName: string, lastName = 'Tester') =>
    (await api().post('/v1/contacts').set('Authorization', key).send({ phone, firstName, lastName }).expect((r) => expect([200, 201]).toContain(r.status))).body.id as string;

  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
    key = await owner.apiKey();
    // An integration's data, set up through the API; the browser is only used for what is tested.
    for (let i = 0; i < 28; i++) await contact(`+1415555${String(1000 + i)}`, `Person${i}`);
    ada = await contact('+14155550100', 'Ada', 'Lovelace');
    bo = await contact('+14155550101', 'Bo', 'Brown');
    await api()
      .post(`/v1/contacts/${ada}/consent`)
      .set('Authorization', key)
      .send({ types: ['marketing'], state: 'opted_in', source: 'api', evidence: { text: 'Signed the paper form at the counter' } })
      .expect(201);
    const sent = await api().post('/v1/messages').set('Authorization', key).set('Idempotency-Key', 'spring-sale:bo').send({ contactId: bo, type: 'marketing', body: 'Acme: 20% off today only.' }).expect(202);
    blockedMessage = sent.body.id;
    await api().post('/v1/groups').set('Authorization', key).send({ name: 'VIP customers' }).expect(201);
  }, 90_000);
  afterAll(async () => h?.close());

  it('pages through contacts with the hub’s cursor and finds one by search', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Contacts' }).click();
    const rows = page.locator('table tbody tr');
    await page.getByRole('heading', { name: 'Page 1' }).waitFor();
    await rows.first().waitFor();
    expect(await rows.count()).toBe(25);
    await screenshot(page, 'contacts');
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('heading', { name: 'Page 2' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 5);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);

    await page.getByLabel('Search').fill('Ada');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL('**/contacts?q=Ada');
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    await context.close();
  });

  it('shows a contact’s consent per type and the ledger with its evidence; records a spoken opt-out', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto(`/contacts/${ada}`);
    const marketing = page.getByRole('list', { name: 'Consent per message type' }).getByRole('listitem').filter({ hasText: 'Marketing' });
    await marketing.getByText('opted in').waitFor();
    const ledger = page.getByRole('list', { name: 'Consent ledger' });
    await ledger.getByText('via API').waitFor();
    await ledger.getByText('Evidence').click();
    await ledger.getByText('Signed the paper form at the counter').waitFor();
    await screenshot(page, 'contact');

    await page.getByLabel(/Record an opt-out/).fill('Called the shop and asked us to stop');
    await page.getByRole('button', { name: 'Record opt-out' }).click();
    await marketing.getByText('opted out').waitFor();
    const consent = await api().get(`/v1/contacts/${ada}/consent`).set('Authorization', key).expect(200);
    expect(consent.body.states.marketing.state).toBe('opted_out');
    await context.close();
  });

  it('answers “Can we text them now?” with each policy’s verdict', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto(`/contacts/${bo}`);
    await page.getByLabel('Message type', { exact: true }).selectOption('marketing');
    await page.getByRole('button', { name: 'Can we text them now?' }).click();
    await page.getByText(/No — blocked by consent/).waitFor();
    const consentVerdict = page.getByRole('list', { name: 'Policy verdicts' }).getByRole('listitem').filter({ hasText: 'Consent' });
    await consentVerdict.getByText('block').waitFor();
    await page.getByRole('list', { name: 'Policy verdicts' }).getByRole('listitem').filter({ hasText: 'Suppression' }).getByText('pass').waitFor();
    await context.close();
  });

  it('opens a blocked message from the log and reads why', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.getByLabel('Status').selectOption('blocked');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL('**/messages?status=blocked');
    const row = page.locator('table tbody tr').first();
    await row.getByText('blocked').waitFor();
    await screenshot(page, 'messages');
    await row.getByRole('link').first().click();
    await page.waitForURL(`**/messages/${blockedMessage}`);
    await page.getByText(/Blocked by consent: No consent\. Nothing was sent\./).waitFor();
    const trace = page.getByRole('list', { name: 'Policy verdicts' });
    await trace.getByRole('listitem').filter({ hasText: 'Consent' }).getByText('block').waitFor();
    await screenshot(page, 'message');
    await context.close();
  });

  it('adds a contact to a group and lists the groups they are in', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto(`/contacts/${bo}`);
    await page.getByText('Not in any group.').waitFor();
    await page.getByLabel('Add to group').selectOption({ label: 'VIP customers' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('list', { name: 'Member of' }).getByText('VIP customers').waitFor();
    const members = await api().get('/v1/contacts').query({ group: (await api().get('/v1/groups').set('Authorization', key)).body.data.find((g: { name: string }) => g.name === 'VIP customers').id }).set('Authorization', key).expect(200);
    expect(members.body.data.map((c: { id: string }) => c.id)).toEqual([bo]);
    await context.close();
  });

  it('invites one contact from a group into the opt-in flow (seed 001) and the hub records who clicked', async () => {
    const created = await api().post('/v1/flows/from-template').set('Authorization', key).send({ templateKey: 'optin-website-double' }).expect(201);
    await api().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', key).expect(200);
    const cy = await contact('+14155550102', 'Cy', 'Invitee');
    const vip = (await api().get('/v1/groups').set('Authorization', key).expect(200)).body.data.find((g: { name: string }) => g.name === 'VIP customers');
    await api().post(`/v1/groups/${vip.id}/members`).set('Authorization', key).send({ contactIds: [cy] }).expect((r) => expect([200, 201]).toContain(r.status));

    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto(`/contacts/${cy}`);
    const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Invite to opt in' }) });
    await card.waitFor();
    await card.getByLabel('Opt-in flow').locator(`option[value="${created.body.id}"]`).waitFor({ state: 'attached' });
    await card.getByLabel('Opt-in flow').selectOption(created.body.id);
    await card.getByLabel('From group').locator(`option[value="${vip.id}"]`).waitFor({ state: 'attached' });
    await card.getByLabel('From group').selectOption(vip.id);
    await card.getByRole('button', { name: 'Invite' }).click();
    await page.getByText('Invited: the opt-in request is on its way.').waitFor();
    await screenshot(page, 'contact-invite');

    const [entry] = await h.hub.dataSource.query(`SELECT evidence FROM consent_event WHERE contact_id = $1 AND state = 'pending'`, [cy]);
    expect(entry.evidence.invitation).toMatchObject({ groupId: vip.id, invitedBy: { actor: expect.stringMatching(/^user:/) } });
    // A second click is refused by the hub, and the page says why.
    await card.getByRole('button', { name: 'Invite' }).click();
    await card.getByText(/already/i).waitFor();
    await context.close();
  });

  it('reads at phone width: no screen scrolls sideways', async () => {
    const { context, page } = await h.newPage({ width: 390, height: 844 });
    await signIn(page, OWNER.email, OWNER.password);
    for (const path of ['/', '/contacts', `/contacts/${ada}`, '/messages', `/messages/${blockedMessage}`, '/plugins', '/plugins/web-forms', '/imports', '/groups', '/suppression', '/settings']) {
      await page.goto(path);
      await page.locator('main h1').first().waitFor();
      await page.locator('[role=status][aria-live]').first().waitFor({ state: 'detached' }).catch(() => undefined);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
    }
    await page.goto(`/contacts/${ada}`);
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    await screenshot(page, 'contact-phone');
    await context.close();
  });

  it('erases a contact after asking once more', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto(`/contacts/${bo}`);
    await page.getByRole('button', { name: 'Erase contact' }).click();
    await page.getByRole('button', { name: 'Yes, erase' }).click();
    await page.waitForURL('**/contacts');
    const erased = await api().get(`/v1/contacts/${bo}`).set('Authorization', key).expect(200);
    expect(erased.body.erasedAt).not.toBeNull();
    expect(erased.body.phone).toBeNull();
    await context.close();
  });
});

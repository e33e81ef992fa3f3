import { ApiKeyService, LOGIN_LIMITS, Role, ROLE_PERMISSIONS, ROLES, SetupService } from '@optline/core';
import { createHash } from 'node:crypto';
import { Browser, parseSetCookies } from '../utils/browser';
import { createContact } from '../utils/factories/contacts';
import { concretePath, listRoutes } from '../utils/routes';
import { TestHub, TestWorkspace } from '../utils/test-hub';

const OWNER = { email: 'Dana@Acme.test', password: 'correct horse battery', displayName: 'Dana Reyes' };
const PASSWORD = 'a long enough password';

function cookieNamed(res: Parameters<typeof parseSetCookies>[0], name: string) {
  const cookie = parseSetCookies(res).find((c) => c.name === name);
  if (!cookie) throw new Error(`no ${name} cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  return cookie;
}

/** The invitation link's token, from the url shown to the admin once. */
function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

describe('people and sign-in: setup, sessions, CSRF, invitations, roles', () => {
  let hub: TestHub;
  let owner: Browser;
  let ownerId: string;
  let workspaceId: string;
  const people = new Map<Role, { id: string; email: string; browser: Browser }>();
  let removedUserId: string;

  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(async () => {
    await hub?.close();
  });

  /** Moves the hub's clock into the next sign-in window, so one test's failures do not limit the next. */
  const nextLoginWindow = () => hub.manualClock.advance(LOGIN_LIMITS.windowSeconds * 1000);

  it('sets up a fresh hub once, with the code from the log: a wrong code is 403, a second setup 409', async () => {
    expect((await hub.http().get('/v1/setup').expect(200)).body).toEqual({ needsSetup: true });
    const code = await hub.get(SetupService).issueCode();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const body = { workspaceName: 'Acme Inc.', brandName: 'Acme Alerts', ...OWNER };

    const wrong = await hub.http().post('/v1/setup').send({ ...body, setupCode: 'AAAA-BBBB-CCCC-DDDD' }).expect(403);
    expect(wrong.body).toMatchObject({ code: 'setup_code_invalid' });
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const short = await hub.http().post('/v1/setup').send({ ...body, setupCode: code, password: 'short pass' }).expect(422);
    expect(short.body.details).toEqual([expect.objectContaining({ field: 'password' })]);
    expect((await hub.http().get('/v1/setup')).body.needsSetup).toBe(true);

    owner = new Browser(hub);
    // Typed by hand: case and dashes do not matter.
    const done = owner.absorb(await hub.http().post('/v1/setup').send({ ...body, setupCode: code!.toLowerCase().replace(/-/g, '') }).expect(201));
    expect(done.body).toMatchObject({
      user: { email: 'dana@acme.test', displayName: 'Dana Reyes', role: 'admin' },
      workspace: { name: 'Acme Inc.', brandName: 'Acme Alerts' },
      csrfToken: expect.any(String),
    });
    ownerId = done.body.user.id;
    workspaceId = done.body.workspace.id;
    expect(owner.csrf).toBe(done.body.csrfToken);

    expect((await hub.http().get('/v1/setup')).body).toEqual({ needsSetup: false });
    const again = await hub.http().post('/v1/setup').send({ ...body, email: 'mallory@evil.test', setupCode: code }).expect(409);
    expect(again.body.code).toBe('setup_done');
    // No new code is printed once someone has an account.
    expect(await hub.get(SetupService).issueCode()).toBeNull();

    const me = await owner.get('/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: ownerId, role: 'admin' }, workspace: { id: workspaceId, name: 'Acme Inc.' } });
    expect(me.body.permissions).toEqual(expect.arrayContaining(['users:manage', 'keys:manage', 'consent:opt_in']));
  });

  it('sets an httpOnly, SameSite=Lax, Secure (PUBLIC_URL is https) session cookie and a readable CSRF cookie; stores only hashes', async () => {
    const res = await new Browser(hub).signIn(OWNER.email, OWNER.password);
    const session = cookieNamed(res, 'optline_session');
    const csrf = cookieNamed(res, 'optline_csrf');
    expect(session.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/']));
    expect(csrf.attributes).toEqual(expect.arrayContaining(['Secure', 'SameSite=Lax', 'Path=/']));
    expect(csrf.attributes).not.toContain('HttpOnly');
    expect(csrf.value).toBe(res.body.csrfToken);

    const [user] = await hub.dataSource.query(`SELECT password_hash FROM app_user WHERE id = $1`, [ownerId]);
    expect(user.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(user.password_hash).not.toContain(OWNER.password);
    const stored = await hub.dataSource.query(`SELECT token_hash, csrf_hash FROM user_session WHERE workspace_id = $1`, [workspaceId]);
    for (const row of stored) {
      expect(row.token_hash).not.toBe(session.value);
      expect(row.csrf_hash).not.toBe(csrf.value);
    }
    expect(stored.map((r: { token_hash: string }) => r.token_hash)).toContain(createHash('sha256').update(session.value).digest('hex'));
  });

  it('signs in with email in any case and signs out: a wrong password is 401, the ended session is 401', async () => {
    const wrong = await new Browser(hub).post('/v1/auth/login', { email: OWNER.email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    const unknown = await new Browser(hub).post('/v1/auth/login', { email: 'nobody@acme.test', password: 'not the password' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('invalid_credentials');

    const browser = new Browser(hub);
    await browser.signIn('DANA@acme.TEST', OWNER.password);
    const sessionCookie = browser.cookies.get('optline_session')!;
    expect((await browser.get('/v1/auth/me')).status).toBe(200);

    expect((await browser.post('/v1/auth/logout', {}, { csrf: false })).body.code).toBe('csrf_failed');
    const out = await browser.post('/v1/auth/logout');
    expect(out.status).toBe(204);
    expect(cookieNamed(out, 'optline_session').value).toBe('');
    expect(browser.cookies.size).toBe(0);
    // The old cookie, replayed, no longer works.
    const replay = await hub.http().get('/v1/auth/me').set('Cookie', `optline_session=${sessionCookie}`);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('session_expired');
    expect(cookieNamed(replay, 'optline_session').value).toBe('');
    expect((await hub.http().get('/v1/auth/me')).status).toBe(401);
    nextLoginWindow();
  });

  it('refuses a change made with the session cookie but without its own CSRF token (403 csrf_failed); reads need none', async () => {
    const other = new Browser(hub);
    await other.signIn(OWNER.email, OWNER.password);
    expect((await owner.get('/v1/workspace')).status).toBe(200);

    const none = await owner.patch('/v1/workspace', { supportUrl: 'https://acme.test/help' }, { csrf: false });
    expect(none.status).toBe(403);
    expect(none.body.code).toBe('csrf_failed');
    // Another session's token is not this session's: the token is bound to the session.
    expect((await owner.patch('/v1/workspace', { supportUrl: 'https://acme.test/help' }, { csrf: other.csrf })).status).toBe(403);
    const ok = await owner.patch('/v1/workspace', { supportUrl: 'https://acme.test/help' });
    expect(ok.status).toBe(200);
    expect(ok.body.supportUrl).toBe('https://acme.test/help');
  });

  it('limits failed sign-ins per email and per address with 429 and Retry-After, in Redis', async () => {
    nextLoginWindow();
    for (let i = 0; i < LOGIN_LIMITS.perEmail; i += 1) {
      expect((await new Browser(hub).post('/v1/auth/login', { email: OWNER.email, password: `wrong password ${i}` })).status).toBe(401);
    }
    // Even the right password waits now.
    const limited = await new Browser(hub).post('/v1/auth/login', { email: OWNER.email, password: OWNER.password });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('too_many_attempts');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(LOGIN_LIMITS.windowSeconds);
    // Another email from the same address is not limited yet.
    expect((await new Browser(hub).post('/v1/auth/login', { email: 'someone@acme.test', password: 'wrong password' })).status).toBe(401);

    nextLoginWindow();
    await new Browser(hub).signIn(OWNER.email, OWNER.password);
    // Per address: many emails from one client.
    for (let i = 0; i < LOGIN_LIMITS.perIp; i += 1) {
      expect((await new Browser(hub).post('/v1/auth/login', { email: `guess${i}@acme.test`, password: 'wrong password' })).status).toBe(401);
    }
    expect((await new Browser(hub).post('/v1/auth/login', { email: 'fresh@acme.test', password: 'wrong password' })).status).toBe(429);
    nextLoginWindow();
    await new Browser(hub).signIn(OWNER.email, OWNER.password);
  }, 60_000);

  it('invites a person for each role by link; they choose a password, sign in, and the API enforces their role as for a key', async () => {
    for (const role of ['marketing', 'support', 'operations'] as Role[]) {
      const email = `${role}@acme.test`;
      const created = await owner.post('/v1/invitations', { email, role });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), email, role, url: expect.stringMatching(/^https:\/\/hub\.optline\.test\/invite\/oli_[\w-]{43}$/), expiresAt: expect.any(String) });
      const token = tokenOf(created.body.url);

      const preview = await hub.http().get(`/v1/invitations/accept/${token}`).expect(200);
      expect(preview.body).toEqual({ email, role, workspaceName: 'Acme Inc.' });
      const short = await hub.http().post(`/v1/invitations/accept/${token}`).send({ displayName: role, password: 'too short' }).expect(422);
      expect(short.body.details[0].field).toBe('password');

      const browser = new Browser(hub);
      const accepted = browser.absorb(await hub.http().post(`/v1/invitations/accept/${token}`).send({ displayName: `The ${role} person`, password: PASSWORD }).expect(201));
      expect(accepted.body).toMatchObject({ user: { email, role, displayName: `The ${role} person` }, workspace: { id: workspaceId }, csrfToken: browser.csrf });
      expect((await browser.get('/v1/auth/me')).body.permissions).not.toContain('users:manage');
      // The link is used up.
      expect((await hub.http().get(`/v1/invitations/accept/${token}`).expect(410)).body.code).toBe('invitation_accepted');
      expect((await hub.http().post(`/v1/invitations/accept/${token}`).send({ displayName: 'x', password: PASSWORD }).expect(410)).body.code).toBe('invitation_accepted');

      const again = new Browser(hub);
      await again.signIn(email, PASSWORD);
      people.set(role, { id: accepted.body.user.id, email, browser: again });
    }
    expect((await hub.http().get('/v1/invitations/accept/oli_thisTokenWasNeverIssuedByTheHub00000000000').expect(404)).body.code).toBe('invitation_not_found');

    const invitations = await owner.get('/v1/invitations');
    expect(invitations.body.items).toHaveLength(3);
    for (const item of invitations.body.items) {
      expect(item).toMatchObject({ status: 'accepted', invitedBy: `user:${ownerId}` });
      expect(JSON.stringify(item)).not.toMatch(/oli_|token/i);
    }
    const users = await owner.get('/v1/users');
    expect(users.body.items.map((u: { role: string }) => u.role).sort()).toEqual(['admin', 'marketing', 'operations', 'support']);

    // The same matrix as for API keys: support may send but not manage keys, operations may not invite.
    const support = people.get('support')!.browser;
    const ws = new TestWorkspace(hub, workspaceId, await createRecoveryKey(hub, workspaceId));
    const byKey = await hub.http().post('/v1/api-keys').set('Authorization', await ws.auth('support')).send({ name: 'x', role: 'admin' });
    const bySession = await support.post('/v1/api-keys', { name: 'x', role: 'admin' });
    expect(bySession.status).toBe(403);
    expect(bySession.body).toEqual({ ...byKey.body, requestId: bySession.body.requestId });
    expect(bySession.body.code).toBe('permission_denied');
    expect((await people.get('operations')!.browser.post('/v1/invitations', { email: 'x@acme.test', role: 'admin' })).status).toBe(403);
    expect((await people.get('marketing')!.browser.get('/v1/invitations')).status).toBe(403);
    // Everyone may see who is on the team.
    expect((await people.get('marketing')!.browser.get('/v1/users')).body.items).toHaveLength(4);
    expect((await people.get('marketing')!.browser.get('/v1/contacts')).status).toBe(200);
    // An API key cannot use the routes that are about a signed-in person.
    expect((await hub.http().get('/v1/auth/me').set('Authorization', await ws.auth('admin'))).body.code).toBe('session_required');
  }, 60_000);

  it('withdraws an invitation (its link then 410s) and refuses inviting an email that has an account (409)', async () => {
    const created = await owner.post('/v1/invitations', { email: 'late@acme.test', role: 'support' });
    expect((await owner.delete(`/v1/invitations/${created.body.id}`)).status).toBe(204);
    expect((await hub.http().get(`/v1/invitations/accept/${tokenOf(created.body.url)}`).expect(410)).body.code).toBe('invitation_revoked');
    const taken = await owner.post('/v1/invitations', { email: 'SUPPORT@acme.test', role: 'admin' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('email_taken');
    const invalid = await owner.post('/v1/invitations', { email: 'not an email', role: 'boss' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'role']);
  });

  it('lists a person’s sessions and ends one: the ended browser is signed out at its next request', async () => {
    const laptop = new Browser(hub);
    await laptop.signIn(OWNER.email, OWNER.password);
    const list = await owner.get('/v1/auth/sessions');
    expect(list.status).toBe(200);
    const current = list.body.items.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    const laptopSession = list.body.items.find((s: { current: boolean; createdAt: string }) => !s.current && s.createdAt === list.body.items[0].createdAt) ?? list.body.items[0];
    expect(laptopSession).toMatchObject({ id: expect.any(String), ip: expect.any(String), lastSeenAt: expect.any(String) });

    const fromLaptop = await laptop.get('/v1/auth/sessions');
    const laptopId = fromLaptop.body.items.find((s: { current: boolean }) => s.current).id;
    expect((await owner.delete(`/v1/auth/sessions/${laptopId}`)).status).toBe(204);
    const after = await laptop.get('/v1/auth/me');
    expect(after.status).toBe(401);
    expect((await owner.get('/v1/auth/sessions')).body.items.map((s: { id: string }) => s.id)).not.toContain(laptopId);
    // Someone else's session is not yours to end.
    const supportSessions = await people.get('support')!.browser.get('/v1/auth/sessions');
    expect((await owner.delete(`/v1/auth/sessions/${supportSessions.body.items[0].id}`)).status).toBe(404);
  });

  it('lets a person change their own password: the current one must match; their other sessions end, this one stays', async () => {
    const support = people.get('support')!;
    const phone = new Browser(hub);
    await phone.signIn(support.email, PASSWORD);
    const wrong = await support.browser.post('/v1/auth/password', { currentPassword: 'not my password', newPassword: 'a brand new password' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ code: 'wrong_password', details: [{ field: 'currentPassword' }] });
    const short = await support.browser.post('/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(422);
    expect(short.body.details[0].field).toBe('newPassword');
    expect((await support.browser.post('/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' }, { csrf: false })).status).toBe(403);

    expect((await support.browser.post('/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' })).status).toBe(204);
    expect((await support.browser.get('/v1/auth/me')).status).toBe(200);
    expect((await phone.get('/v1/auth/me')).status).toBe(401);
    expect((await new Browser(hub).post('/v1/auth/login', { email: support.email, password: PASSWORD })).status).toBe(401);
    await new Browser(hub).signIn(support.email, 'a brand new password');
    nextLoginWindow();
  });

  it('keeps the last admin, changes roles at once, and removing a person ends their sessions', async () => {
    const self = await owner.delete(`/v1/users/${ownerId}`);
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('last_admin');
    expect((await owner.patch(`/v1/users/${ownerId}`, { role: 'marketing' })).body.code).toBe('last_admin');

    const ops = people.get('operations')!;
    const promoted = await owner.patch(`/v1/users/${ops.id}`, { role: 'admin', displayName: 'Ops Lead' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ id: ops.id, role: 'admin', displayName: 'Ops Lead', lastSignInAt: expect.any(String) });
    // The new role applies to the session already open.
    expect((await ops.browser.get('/v1/invitations')).status).toBe(200);
    expect((await ops.browser.patch(`/v1/users/${ops.id}`, { role: 'operations' })).status).toBe(200);
    expect((await ops.browser.get('/v1/invitations')).status).toBe(403);

    const marketing = people.get('marketing')!;
    removedUserId = marketing.id;
    expect((await owner.delete(`/v1/users/${marketing.id}`)).status).toBe(204);
    expect((await marketing.browser.get('/v1/auth/me')).status).toBe(401);
    expect((await new Browser(hub).post('/v1/auth/login', { email: marketing.email, password: PASSWORD })).status).toBe(401);
    expect((await owner.delete(`/v1/users/${marketing.id}`)).status).toBe(404);
    people.delete('marketing');
  });

  it('keeps workspaces apart: a person of B sees none of A’s people, contacts or sessions', async () => {
    const b = await hub.createWorkspace({ name: 'Beta', brandName: 'Beta Alerts' });
    // An admin key can invite too; the invitation records the key.
    const invited = await hub.http().post('/v1/invitations').set('Authorization', await b.auth('admin')).send({ email: 'bob@beta.test', role: 'admin' }).expect(201);
    const bob = new Browser(hub);
    bob.absorb(await hub.http().post(`/v1/invitations/accept/${tokenOf(invited.body.url)}`).send({ displayName: 'Bob', password: PASSWORD }).expect(201));
    const list = await hub.http().get('/v1/invitations').set('Authorization', await b.auth('admin')).expect(200);
    expect(list.body.items[0].invitedBy).toMatch(/^api_key:/);

    const users = await bob.get('/v1/users');
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual(['bob@beta.test']);
    expect((await bob.patch(`/v1/users/${ownerId}`, { role: 'support' })).status).toBe(404);
    expect((await bob.delete(`/v1/users/${ownerId}`)).status).toBe(404);
    const ownerSessions = await owner.get('/v1/auth/sessions');
    expect((await bob.delete(`/v1/auth/sessions/${ownerSessions.body.items[0].id}`)).status).toBe(404);

    const ws = new TestWorkspace(hub, workspaceId, await createRecoveryKey(hub, workspaceId));
    const contact = await createContact(ws);
    expect((await bob.get(`/v1/contacts/${contact.id}`)).status).toBe(404);
    expect((await owner.get(`/v1/contacts/${contact.id}`)).status).toBe(200);
    const aInvites = await owner.get('/v1/invitations');
    expect(aInvites.body.items.map((i: { email: string }) => i.email)).not.toContain('bob@beta.test');
    expect((await bob.delete(`/v1/invitations/${aInvites.body.items[0].id}`)).status).toBe(404);
  });

  it('records the acting person on consent acts and sends made from the console', async () => {
    const support = people.get('support')!;
    const ws = new TestWorkspace(hub, workspaceId, await createRecoveryKey(hub, workspaceId));
    const contact = await createContact(ws);
    const recorded = await support.browser.post(`/v1/contacts/${contact.id}/consent`, {
      types: ['marketing'],
      state: 'opted_out',
      evidence: { text: 'Asked on the phone not to be texted' },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.entries[0]).toMatchObject({ actor: `user:${support.id}`, state: 'opted_out' });
    const [row] = await hub.dataSource.query(`SELECT actor FROM consent_event WHERE workspace_id = $1 AND contact_id = $2`, [workspaceId, contact.id]);
    expect(row.actor).toBe(`user:${support.id}`);

    const sent = await support.browser.send('post', '/v1/messages', { contactId: contact.id, type: 'transactional', body: 'Your order shipped.' }, { headers: { 'Idempotency-Key': 'console-send-1' } });
    expect(sent.status).toBe(202);
    const [message] = await hub.dataSource.query(`SELECT origin FROM message WHERE workspace_id = $1 AND id = $2`, [workspaceId, sent.body.id]);
    expect(message.origin).toEqual({ userId: support.id });
  });

  it('keeps an audit trail of invitations, people and plugin changes naming who acted', async () => {
    const ops = people.get('operations')!;
    const form = {
      key: 'newsletter',
      title: 'Get our texts',
      fields: [{ name: 'firstName', label: 'First name', required: true }],
      consentTypes: ['marketing'],
      termsUrl: 'https://acme.test/sms-terms',
      privacyUrl: 'https://acme.test/privacy',
      successText: 'Thanks!',
      allowedOrigins: ['https://acme.test'],
    };
    expect((await ops.browser.send('put', '/v1/plugins/web-forms', { config: { forms: [form] } })).status).toBe(200);
    expect((await ops.browser.post('/v1/plugins/web-forms/disable')).status).toBe(200);

    expect((await ops.browser.get('/v1/audit-events')).status).toBe(403);
    const trail = await owner.get('/v1/audit-events?limit=200');
    expect(trail.status).toBe(200);
    const acts = trail.body.items.map((e: { actor: string; action: string; subject: string }) => `${e.actor} ${e.action} ${e.subject}`);
    expect(acts).toEqual(
      expect.arrayContaining([
        `user:${ops.id} plugin.disabled web-forms`,
        `user:${ops.id} plugin.installed web-forms`,
        `user:${ownerId} user.removed ${removedUserId}`,
        `user:${ownerId} user.updated ${ops.id}`,
        `user:${ops.id} invitation.accepted ${ops.id}`,
      ]),
    );
    expect(acts.filter((a: string) => a.startsWith(`user:${ownerId} invitation.created`))).toHaveLength(4);
    // Secrets never reach the trail: only which settings changed.
    expect(trail.body.items.find((e: { action: string }) => e.action === 'plugin.installed').details).toEqual({ configKeys: ['forms'] });
    const firstPage = await owner.get('/v1/audit-events?limit=2');
    expect(firstPage.body.items).toHaveLength(2);
    const second = await owner.get(`/v1/audit-events?limit=2&cursor=${firstPage.body.nextCursor}`);
    expect(second.body.items[0].id).not.toBe(firstPage.body.items[1].id);
    expect(new Date(second.body.items[0].createdAt) <= new Date(firstPage.body.items[1].createdAt)).toBe(true);
  });
});

/** A fresh admin key for a workspace made by setup (which issues none), as the recovery CLI would. */
async function createRecoveryKey(hub: TestHub, workspaceId: string): Promise<string> {
  return (await hub.get(ApiKeyService).issue(workspaceId, 'test admin', 'admin')).secret;
}

describe('cookies on a plain-http install', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await TestHub.start({ env: { PUBLIC_URL: 'http://10.0.0.5:3000' } });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('leaves Secure off when PUBLIC_URL is http, so a LAN install can still sign in', async () => {
    const code = await hub.get(SetupService).issueCode();
    const res = await hub
      .http()
      .post('/v1/setup')
      .send({ setupCode: code, workspaceName: 'Lan', brandName: 'Lan Alerts', email: 'lan@lan.test', password: PASSWORD, displayName: 'Lan' })
      .expect(201);
    const session = cookieNamed(res, 'optline_session');
    expect(session.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax']));
    expect(session.attributes).not.toContain('Secure');
  });
});

describe('the permission matrix holds for people exactly as for keys', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('refuses every guarded route a role lacks (403 permission_denied) and lets through every one it has, on a session', async () => {
    const ws = await hub.createWorkspace();
    const browsers = new Map<Role, Browser>();
    for (const role of ROLES) {
      const invited = await hub.http().post('/v1/invitations').set('Authorization', await ws.auth('admin')).send({ email: `${role}@matrix.test`, role }).expect(201);
      const browser = new Browser(hub);
      browser.absorb(await hub.http().post(`/v1/invitations/accept/${tokenOf(invited.body.url)}`).send({ displayName: role, password: PASSWORD }).expect(201));
      browsers.set(role, browser);
    }
    const guarded = listRoutes(hub.app).filter((r) => r.access?.kind === 'permission');
    expect(guarded.length).toBeGreaterThan(50);
    for (const route of guarded) {
      const permission = (route.access as { permission: Parameters<(typeof ROLE_PERMISSIONS)['admin']['has']>[0] }).permission;
      for (const role of ROLES) {
        const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
        const res = await browsers.get(role)!.send(method, concretePath(route.path), method === 'get' ? undefined : {});
        const label = `${role} ${route.method} ${route.path} (${permission}) -> ${res.status} ${res.body?.code ?? ''}`;
        if (ROLE_PERMISSIONS[role].has(permission)) expect([label, res.status === 403 || res.status === 401]).toEqual([label, false]);
        else expect([label, res.status, res.body.code]).toEqual([label, 403, 'permission_denied']);
      }
    }
  }, 120_000);
});

import { SetupService } from '@optline/core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import request from 'supertest';
import { TestHub, TestHubOptions } from '../utils/test-hub';

/** Debian's chromium package; never downloaded by the tests. */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ROOT = resolve(__dirname, '../..');

export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) console.warn(`Skipping the console browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);
export const describeInBrowser = chromiumAvailable ? describe : describe.skip;

export const OWNER = { email: 'owner@acme.test', password: 'correct horse battery staple', displayName: 'Olivia Owner' };
export const PASSWORD = 'a long enough password';

/** Builds the console from the working tree into a fresh folder (vite alone: about a second); its own folder, so it need not wait for another build's lock. */
function buildConsole(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'optline-console-'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error', '--bypass-lock'], { cwd: join(ROOT, 'apps/console'), stdio: 'pipe' });
  return outDir;
}

/**
 * A real hub (API, webhooks, workers) serving a freshly built console, and a headless Chromium.
 * PUBLIC_URL is plain http, so the session cookies are not `Secure` and the http test origin keeps them.
 */
export class ConsoleHarness {
  private constructor(
    readonly hub: TestHub,
    readonly baseUrl: string,
    readonly browser: Browser,
    private readonly consoleDir: string,
  ) {}

  static async start(options: TestHubOptions = {}): Promise<ConsoleHarness> {
    const consoleDir = buildConsole();
    const hub = await TestHub.start({ ...options, consoleDir, env: { PUBLIC_URL: 'http://127.0.0.1', ...options.env } });
    await hub.app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(hub.app.getHttpServer().address() as AddressInfo).port}`;
    // launch() gives every run a new, empty user-data-dir; each context is a separate person.
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    return new ConsoleHarness(hub, baseUrl, browser, consoleDir);
  }

  /** The one-time setup code the hub prints in its log at boot. */
  setupCode(): Promise<string | null> {
    return this.hub.get(SetupService).issueCode();
  }

  async newPage(viewport = { width: 1200, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({ baseURL: this.baseUrl, viewport, reducedMotion: 'reduce' });
    // Fail with Playwright's own message (what it waited for) well before jest's test timeout.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    return { context, page };
  }

  /** Creates the workspace and its owner through the API (for tests whose subject is not setup). */
  async setUpOwner(): Promise<ApiSession> {
    const code = await this.setupCode();
    const res = await request(this.hub.app.getHttpServer())
      .post('/v1/setup')
      .send({ setupCode: code, workspaceName: 'Acme', brandName: 'Acme Alerts', ...OWNER })
      .expect(201);
    return ApiSession.from(this.hub, res);
  }

  /** Invites someone with a role and accepts for them through the API; returns their email. */
  async addMember(owner: ApiSession, role: string, email = `${role}@acme.test`): Promise<string> {
    const invite = await owner.send('post', '/v1/invitations', { email, role }).expect(201);
    const token = new URL(invite.body.url).pathname.split('/').pop();
    await request(this.hub.app.getHttpServer()).post(`/v1/invitations/accept/${token}`).send({ displayName: `${role} person`, password: PASSWORD }).expect(201);
    return email;
  }

  async close(): Promise<void> {
    await this.browser?.close();
    await this.hub?.close();
    rmSync(this.consoleDir, { recursive: true, force: true });
  }
}

/** A signed-in session used through the API (cookie + CSRF header), as the console sends it. */
export class ApiSession {
  private constructor(
    private readonly hub: TestHub,
    private readonly cookie: string,
    readonly csrf: string,
  ) {}

  static from(hub: TestHub, res: request.Response): ApiSession {
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    return new ApiSession(hub, cookies.join('; '), res.body.csrfToken);
  }

  send(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: unknown): request.Test {
    const req = request(this.hub.app.getHttpServer())[method](path).set('Cookie', this.cookie).set('X-CSRF-Token', this.csrf);
    return body === undefined ? req : req.send(body as object);
  }

  /** An admin API key of the workspace, for seeding data the way an integration would. */
  async apiKey(role = 'admin'): Promise<string> {
    const res = await this.send('post', '/v1/api-keys', { name: `seed ${role}`, role }).expect(201);
    return `Bearer ${res.body.key}`;
  }
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/sign-in')), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.locator('main#main').waitFor();
}

/**
 * Screenshots for people to look at: into CONSOLE_SCREENSHOTS (e.g. docs/console) when set,
 * otherwise a temporary folder.
 */
const shotDir = process.env.CONSOLE_SCREENSHOTS ? resolve(ROOT, process.env.CONSOLE_SCREENSHOTS) : join(tmpdir(), 'optline-console-shots');
export async function screenshot(page: Page, name: string, options: { top?: boolean } = {}): Promise<string> {
  mkdirSync(shotDir, { recursive: true });
  const path = join(shotDir, `${name}.png`);
  if (options.top) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: false });
  return path;
}

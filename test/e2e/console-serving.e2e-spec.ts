import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestHub } from '../utils/test-hub';

/** What the hub answers at `/` and around it, with and without a built console. */
describe('the hub serves the console', () => {
  describe('when the console is built', () => {
    let hub: TestHub;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'optline-console-dist-'));
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>');
      writeFileSync(join(dir, 'assets/index-abc123.js'), 'console.log("console")');
      hub = await TestHub.start({ consoleDir: dir });
    }, 60_000);
    afterAll(async () => {
      await hub?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each(['/', '/sign-in', '/setup', '/invite/abc', '/reset-password/abc', '/contacts', '/contacts/5e7f1a52-5a53-4a0b-9d2c-2f7a4b1b9e10', '/messages?status=blocked', '/flows', '/flows/5e7f1a52-5a53-4a0b-9d2c-2f7a4b1b9e10/steps/wait-1', '/plugins/web-forms', '/imports', '/groups', '/suppression', '/settings', '/reports/settings', '/campaigns', '/campaigns/5e7f1a52-5a53-4a0b-9d2c-2f7a4b1b9e10/report', '/segments'])(
      'answers the app for the client route %s, never cached',
      async (path) => {
        const res = await hub.http().get(path).expect(200);
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(res.text).toContain('<div id="root">');
      },
    );

    it('serves hashed assets for good, and a missing asset is a 404 rather than the app', async () => {
      const asset = await hub.http().get('/assets/index-abc123.js').expect(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      const missing = await hub.http().get('/assets/index-old999.js').expect(404);
      expect(missing.text).not.toContain('<div id="root">');
    });

    it('leaves the API, hooks, public pages, docs and health their meaning', async () => {
      const api = await hub.http().get('/v1/contacts-typo').expect(404);
      expect(api.headers['content-type']).toContain('application/json');
      expect(api.body.code).toBeDefined();
      await hub.http().get('/v1/contacts').expect(401);
      await hub.http().get('/health').expect(200);
      const docs = await hub.http().get('/docs/openapi.json').expect(200);
      expect(docs.body.openapi).toMatch(/^3\./);
      const form = await hub.http().get('/f/no-such-form').expect(404);
      expect(form.text).not.toContain('<div id="root">');
      await hub.http().get('/somewhere-else').expect(404);
      await hub.http().post('/contacts').expect(404);
    });
  });

  it('says how to build the console when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'optline-console-none-'));
    const hub = await TestHub.start({ consoleDir: empty });
    try {
      const res = await hub.http().get('/').expect(503);
      expect(res.text).toContain('npm run build');
      await hub.http().get('/health').expect(200);
    } finally {
      await hub.close();
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});

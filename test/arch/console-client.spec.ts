import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CONSOLE = join(ROOT, 'apps/console');

/**
 * The console's OpenAPI document and generated client are committed; they must be what the hub's
 * routes and DTOs produce now. When this fails, run `npm run openapi` and commit both files.
 */
describe('the console client is generated from the current hub', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'optline-openapi-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('apps/console/openapi.json and src/api/schema.d.ts match a fresh `npm run openapi`', () => {
    const json = join(dir, 'openapi.json');
    const types = join(dir, 'schema.d.ts');
    execFileSync(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/hub/src/write-openapi.ts'), json], { cwd: ROOT, stdio: 'pipe' });
    execFileSync(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), json, '-o', types], { cwd: CONSOLE, stdio: 'pipe' });
    for (const [fresh, committed] of [
      [json, join(CONSOLE, 'openapi.json')],
      [types, join(CONSOLE, 'src/api/schema.d.ts')],
    ]) {
      if (readFileSync(fresh, 'utf8') !== readFileSync(committed, 'utf8')) {
        throw new Error(`${committed} is stale: run \`npm run openapi\` and commit apps/console/openapi.json and apps/console/src/api/schema.d.ts`);
      }
    }
  }, 60_000);
});

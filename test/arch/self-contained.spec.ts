import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findEscapes } from './self-contained';

const ROOT = resolve(__dirname, '../..');
// Built in pieces so this file does not itself hold the paths it plants.
const SIBLING = ['sha', 'red'].join('');
const MACHINE = ['', 'work', ''].join('/');
const HOME = ['', 'home', ''].join('/');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'optline-self-contained-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('the repository is self-contained', () => {
  it('no file reads, imports or links anything outside the repository', () => {
    const escapes = findEscapes(ROOT);
    expect(escapes.map((e) => `${e.file}:${e.line} ${e.what}`)).toEqual([]);
  });

  it('catches each way out: __dirname climbs, relative imports, machine paths, the old sibling folder, Markdown links', () => {
    const dir = tree({
      'test/fakes/a.ts': `import { join } from 'node:path';\nexport const F = join(__dirname, '../../../${SIBLING}/fixtures');\n`,
      'test/fakes/b.ts': "import { resolve } from 'node:path';\nexport const G = resolve(__dirname, '../..', '..', 'elsewhere');\nexport const OK = resolve(__dirname, '../fixtures');\n",
      // From dist/apps/hub/src/console (the compiled hub) five levels up is the root again: allowed; six is not.
      'apps/hub/src/console/e.ts': "import { resolve } from 'node:path';\nexport const OK = resolve(__dirname, '../../../../../apps/console/dist');\nexport const OUT = resolve(__dirname, '../../../../../../x');\n",
      'test/fakes/c.ts': "import x from '../../../outside';\nexport const y = require('../../../other');\nexport default x;\n",
      'bench/d.ts': `export const p = process.env.X ?? '${MACHINE}${SIBLING}/fixtures/shopify';\nexport const q = \`\${'a'}${HOME}someone/data\`;\n`,
      'docs/e.md': `See [the brief](../../${SIBLING}/DESIGN.md) and [ours](architecture.md) and [web](https://example.com/x).\n`,
      'config/f.json': `{ "fixtures": "../${SIBLING}/fixtures" }\n`,
      'docs/architecture.md': '# ok\n',
    });
    try {
      const found = findEscapes(dir).map((e) => `${e.file}:${e.line}`);
      expect(found).toEqual(
        expect.arrayContaining(['test/fakes/a.ts:2', 'test/fakes/b.ts:2', 'test/fakes/c.ts:1', 'test/fakes/c.ts:2', 'bench/d.ts:1', 'bench/d.ts:2', 'docs/e.md:1', 'config/f.json:1']),
      );
      expect(found).not.toContain('test/fakes/b.ts:3');
      expect(found).not.toContain('apps/hub/src/console/e.ts:2');
      expect(found).toContain('apps/hub/src/console/e.ts:3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

function cruise(cwd: string) {
  return spawnSync(DEPCRUISE, ['apps', 'libs', 'plugins', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** Writes a miniature tree with the same layout as ours, breaking the rules on purpose. */
function violatingTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'optline-arch-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { baseUrl: '.', module: 'commonjs', paths: { '@optline/core': ['libs/core/src'], '@optline/consent': ['libs/consent/src'], '@optline/plugin-good': ['plugins/good/src'] } },
    }),
    'libs/core/src/index.ts': 'export const core = 1;\n',
    'libs/consent/src/index.ts': "export * from './ledger';\n",
    'libs/consent/src/ledger.ts': "import { core } from '@optline/core';\nexport const ledger = core;\n",
    'apps/hub/src/main.ts': "import '@optline/core';\n",
    'plugins/good/src/index.ts': "import { core } from '@optline/core';\nexport const good = core;\n",
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('architecture rules (dependency-cruiser)', () => {
  it('pass on the real tree', () => {
    const result = cruise(ROOT);
    expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.anything()]);
  });

  it.each([
    ['one-way-out', { 'libs/flows/src/sms.ts': "import twilio from 'twilio';\nexport const client = twilio;\n" }],
    ['plugins-use-sdk-and-core-only', { 'plugins/evil/src/index.ts': "import { ledger } from '@optline/consent';\nexport const x = ledger;\n" }],
    ['libs-never-import-plugins-or-apps', { 'libs/consent/src/bad.ts': "import '../../../apps/hub/src/main';\n" }],
    ['core-imports-no-library', { 'libs/core/src/bad.ts': "import { ledger } from '@optline/consent';\nexport const y = ledger;\n" }],
    ['no-deep-imports-across-libraries', { 'apps/hub/src/deep.ts': "import { ledger } from '../../../libs/consent/src/ledger';\nexport const z = ledger;\n" }],
    ['no-circular', { 'libs/consent/src/a.ts': "import { b } from './b';\nexport const a = b;\n", 'libs/consent/src/b.ts': "import { a } from './a';\nexport const b = a;\n" }],
  ])('fail when %s is broken', (rule, files) => {
    const dir = violatingTree(files);
    try {
      const result = cruise(dir);
      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).toContain(rule);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accept the miniature tree when it breaks nothing', () => {
    const dir = violatingTree({});
    try {
      expect(cruise(dir).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

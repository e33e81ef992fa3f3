import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '../../scripts/build-if-stale.mjs');

/** A checkout whose `npm run build` counts its runs and writes the outputs the hub starts from. */
function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'optline-build-'));
  const build = [
    "const fs=require('fs');",
    "if (fs.existsSync('FAIL')) process.exit(2);",
    "fs.mkdirSync('dist/apps/hub/src',{recursive:true});",
    "fs.writeFileSync('dist/apps/hub/src/main.js','');fs.writeFileSync('dist/apps/hub/src/cli.js','');",
    "fs.appendFileSync('builds.log','x');",
  ].join('');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'c', scripts: { build: `node -e "${build}"` } }));
  writeFileSync(join(dir, 'tsconfig.json'), '{}');
  for (const d of ['apps/hub/src', 'libs/core/src', 'plugins/shopify/src', 'config']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'libs/core/src/a.ts'), 'export const a = 1;\n');
  // Sources from a minute ago, so "newer than the stamp" is decided by what the test touches.
  const past = Date.now() / 1000 - 60;
  for (const p of ['package.json', 'tsconfig.json', 'libs/core/src/a.ts', 'libs/core/src', 'libs/core', 'libs', 'apps/hub/src', 'apps/hub', 'apps', 'plugins/shopify/src', 'plugins/shopify', 'plugins', 'config']) utimesSync(join(dir, p), past, past);
  return dir;
}

const run = (dir: string, ...args: string[]) => spawnSync(process.execPath, [SCRIPT, '--root', dir, '--silent', ...args], { cwd: dir, encoding: 'utf8' });
const builds = (dir: string) => {
  try {
    return readFileSync(join(dir, 'builds.log'), 'utf8').length;
  } catch {
    return 0;
  }
};

describe('scripts/build-if-stale.mjs (npm start, npm run optline)', () => {
  let dir: string;
  beforeEach(() => (dir = checkout()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds once, then not again while nothing changed', () => {
    expect(run(dir, '--check').status).toBe(1);
    expect(run(dir).status).toBe(0);
    expect(builds(dir)).toBe(1);
    expect(run(dir, '--check').status).toBe(0);
    expect(run(dir).status).toBe(0);
    expect(builds(dir)).toBe(1);
  });

  it('rebuilds after a source edit, a new file (a future apps/console/src), a deletion, a tsconfig change', () => {
    // Each change below happens after the previous build started, so its real mtime is newer than the stamp.
    run(dir);
    writeFileSync(join(dir, 'libs/core/src/a.ts'), 'export const a = 2;\n');
    run(dir);
    expect(builds(dir)).toBe(2);

    mkdirSync(join(dir, 'apps/console/src'), { recursive: true });
    writeFileSync(join(dir, 'apps/console/src/main.tsx'), '');
    run(dir);
    expect(builds(dir)).toBe(3);

    unlinkSync(join(dir, 'libs/core/src/a.ts'));
    run(dir);
    expect(builds(dir)).toBe(4);

    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": {} }');
    run(dir);
    expect(builds(dir)).toBe(5);
    run(dir);
    expect(builds(dir)).toBe(5);
  });

  it('rebuilds when the outputs are gone, and records nothing after a failed build', () => {
    run(dir);
    rmSync(join(dir, 'dist/apps'), { recursive: true });
    run(dir);
    expect(builds(dir)).toBe(2);

    writeFileSync(join(dir, 'config/new.env'), '');
    writeFileSync(join(dir, 'FAIL'), '');
    expect(run(dir).status).toBe(2);
    expect(run(dir, '--check').status).toBe(1);
  });
});

#!/usr/bin/env node
// Runs `npm run build` only when a source is newer than the last successful build, so `npm start`
// and `npm run optline` start in a second instead of recompiling every time.
//
// Sources: everything under apps/, libs/, plugins/ and config/ (directories too: a file added or
// deleted changes its directory's mtime), the root tsconfig*.json, package.json and
// package-lock.json. The stamp is written after a successful build with the time the build
// started, so an edit made while it ran still counts as newer. `npm run build` stays the full
// build; this script only decides whether to call it.
//
//   node scripts/build-if-stale.mjs            build if stale
//   node scripts/build-if-stale.mjs --check    exit 0 when current, 1 when a build is needed
//   node scripts/build-if-stale.mjs --silent   no "building…" note
//   --root <dir>                                another checkout (the script's tests)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootArg = process.argv.indexOf('--root');
const ROOT = rootArg > 0 ? resolve(process.argv[rootArg + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['apps', 'libs', 'plugins', 'config'];
const SKIP = new Set(['node_modules', 'dist', '.vite', 'coverage']);
// What the hub needs to start; a stamp without them (dist wiped by hand) is not trusted.
const OUTPUTS = ['dist/apps/hub/src/main.js', 'dist/apps/hub/src/cli.js'];

/** The newest mtime among the sources, and which path it is. */
export function newestSource(root = ROOT) {
  let newest = { path: '', mtimeMs: 0 };
  const consider = (path, mtimeMs) => {
    if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  };
  const walk = (dir) => {
    consider(dir, statSync(dir).mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else consider(path, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  for (const name of readdirSync(root)) {
    if (/^tsconfig.*\.json$/.test(name) || name === 'package.json' || name === 'package-lock.json') consider(join(root, name), statSync(join(root, name)).mtimeMs);
  }
  return newest;
}

/** Why a build is needed, or undefined when the last build is current. */
export function staleReason(root = ROOT) {
  const stamp = join(root, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return 'no successful build recorded yet';
  const missing = OUTPUTS.find((o) => !existsSync(join(root, o)));
  if (missing) return `${missing} is missing`;
  const newest = newestSource(root);
  if (newest.mtimeMs > statSync(stamp).mtimeMs) return `${newest.path.slice(root.length + 1)} changed`;
  return undefined;
}

function writeStamp(root, startedAt) {
  const stamp = join(root, 'dist', '.build-stamp');
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${new Date(startedAt).toISOString()}\n`);
  utimesSync(stamp, startedAt / 1000, startedAt / 1000);
}

function main() {
  const args = new Set(process.argv.slice(2));
  const reason = staleReason();
  if (args.has('--check')) process.exit(reason ? 1 : 0);
  if (!reason) return;
  if (!args.has('--silent')) process.stderr.write(`build-if-stale: building (${reason})\n`);
  const startedAt = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build', ...(args.has('--silent') ? ['--silent'] : [])], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeStamp(ROOT, startedAt);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

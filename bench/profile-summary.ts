/**
 * Where the time goes in a `.cpuprofile` (written with BENCH_CPU_PROFILE_DIR or `node --cpu-prof`):
 * self time by area (a package under node_modules, a library or plugin of ours, Node's own code,
 * GC, idle) and the functions with the most self time. Shares of busy time are comparable
 * between runs on a loaded machine, where seconds are not.
 *
 *   node -r @swc-node/register bench/profile-summary.ts FILE.cpuprofile [--top 30] [--json]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  areas: { area: string; ms: number; shareOfBusy: number }[];
  functions: { fn: string; area: string; ms: number; shareOfBusy: number }[];
}

/** node_modules/<pkg> (scoped too), libs/<lib>, plugins/<p>, apps/<a>, node:…, or a V8 pseudo-frame. */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (V8/native)';
    // node:inspector's Session.post runs in the native `dispatch`: stopping the profiler and
    // serialising the profile, inside the profile itself. Not the application's time.
    if (functionName === 'dispatch') return 'profiler';
    return functionName || 'native';
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const ours = /(?:dist\/)?(libs|plugins|apps|bench)\/([^/]+)/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

export function summarise(profile: CpuProfile, top = 30): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const areas = new Map<string, number>();
  const functions = new Map<string, { area: string; us: number }>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const area = areaOf(url, functionName);
    total += us;
    if (area === 'idle' || area === 'profiler') idle += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '')}:${lineNumber + 1}`;
    const entry = functions.get(key) ?? { area, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const busy = total - idle;
  const share = (us: number) => Math.round((us / busy) * 1000) / 10;
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    areas: [...areas]
      .filter(([area]) => area !== 'idle' && area !== 'profiler')
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, ms: Math.round(us / 1000), shareOfBusy: share(us) })),
    functions: [...functions]
      .filter(([, f]) => f.area !== 'idle' && f.area !== 'profiler')
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([fn, f]) => ({ fn, area: f.area, ms: Math.round(f.us / 1000), shareOfBusy: share(f.us) })),
  };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [--top N] [--json]');
  const topIndex = args.indexOf('--top');
  const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, topIndex >= 0 ? Number(args[topIndex + 1]) : 30);
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    process.stdout.write(`${file}\ntotal ${summary.totalMs} ms, busy ${summary.busyMs} ms (idle and the profiler's own stop left out)\n\nby area (share of busy time):\n`);
    for (const a of summary.areas.slice(0, 25)) process.stdout.write(`  ${String(a.shareOfBusy).padStart(5)} %  ${String(a.ms).padStart(6)} ms  ${a.area}\n`);
    process.stdout.write('\nfunctions (self time):\n');
    for (const f of summary.functions) process.stdout.write(`  ${String(f.shareOfBusy).padStart(5)} %  ${String(f.ms).padStart(6)} ms  ${f.fn}\n`);
  }
}

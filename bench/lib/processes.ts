import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';

export interface RunningProcess {
  child: ChildProcess;
  /** Peak resident set size so far, in MB (VmHWM from /proc). */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export function peakRssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Starts a node process and waits until `readyUrl` answers 200. */
export async function startProcess(args: string[], env: Record<string, string>, readyUrl: string, label: string, readyTimeoutMs = 60_000): Promise<RunningProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()).slice(-4000));
  child.stdout?.resume();
  // BENCH_LOG_DIR=<dir> keeps each process's output (the hub logs at LOG_LEVEL=warn).
  if (process.env.BENCH_LOG_DIR) {
    const log = createWriteStream(`${process.env.BENCH_LOG_DIR}/${label}-${child.pid}.log`);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(readyUrl);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${label} did not become ready in ${readyTimeoutMs / 1000} s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The last reading survives the process (a hub that crashed still reports the peak it reached).
  let lastPeak = Number.NaN;
  return {
    child,
    peakRssMb: () => {
      try {
        lastPeak = peakRssMbOf(child.pid!);
      } catch {
        // gone: /proc/<pid> no longer exists
      }
      return lastPeak;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

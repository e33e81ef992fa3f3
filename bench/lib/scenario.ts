/** What every scenario reports; bench/run.ts prints these and writes them to bench/results. */
export interface TargetCheck {
  name: string;
  /** Human-readable target, e.g. "≥ 0.5" or "≤ 50 ms". */
  target: string;
  actual: number;
  pass: boolean;
}

export interface CorrectnessCheck {
  name: string;
  pass: boolean;
  detail: string;
}

export interface ScenarioResult {
  name: string;
  parameters: Record<string, unknown>;
  /** The scenario's own figures (rates, latencies, memory). */
  figures: Record<string, number>;
  /** The raw baseline measured in the same run, and the headline figure / baseline. */
  baseline: { name: string; value: number; unit: string } | null;
  headline: { name: string; value: number; unit: string };
  ratio: number | null;
  targets: TargetCheck[];
  correctness: CorrectnessCheck[];
  notes: string[];
  seconds: number;
}

export interface ScenarioContext {
  quick: boolean;
  contacts: number;
  log(line: string): void;
}

export const atMost = (name: string, actual: number, limit: number, unit: string): TargetCheck => ({ name, target: `≤ ${limit}${unit}`, actual, pass: actual <= limit });
export const atLeast = (name: string, actual: number, limit: number, unit = ''): TargetCheck => ({ name, target: `≥ ${limit}${unit}`, actual, pass: actual >= limit });
export const check = (name: string, pass: boolean, detail: string): CorrectnessCheck => ({ name, pass, detail });

import type { FlowDefinition, FlowStep, StepType } from './flow-definition';

/** Fields each step type accepts beyond id, type and name. */
export const STEP_FIELDS: Record<StepType, readonly string[]> = {
  send: ['next', 'template', 'messageType', 'systemKind'],
  wait: ['next', 'duration', 'until', 'ifPast'],
  waitForReply: ['timeout', 'onTimeout', 'routes'],
  branch: ['condition', 'then', 'else'],
  split: ['arms'],
  addToGroup: ['next', 'group'],
  removeFromGroup: ['next', 'group'],
  setConsent: ['next', 'state', 'types'],
  setAttribute: ['next', 'attribute', 'value'],
  webhook: ['next', 'url'],
  exit: ['reason'],
};

/** Step types whose targets are all explicit; they never fall through to the next step. */
const EXPLICIT_TARGETS: ReadonlySet<StepType> = new Set(['waitForReply', 'branch', 'split', 'exit']);

export interface Edge {
  /** The field holding the target, e.g. `then`, `routes[1].next`, `next` (implicit when absent). */
  field: string;
  target: string | null;
}

/**
 * The step that follows `index` when it has no explicit `next`: the next one in the list, or
 * null (the run completes).
 */
export function fallThrough(steps: readonly FlowStep[], index: number): string | null {
  return index + 1 < steps.length ? steps[index + 1].id : null;
}

/** Every outgoing edge of a step. A null target means "the run completes". */
export function edgesOf(steps: readonly FlowStep[], index: number): Edge[] {
  const step = steps[index];
  const implicitNext = (): Edge => ({ field: 'next', target: step.next ?? fallThrough(steps, index) });
  switch (step.type) {
    case 'exit':
      return [];
    case 'branch':
      return [
        { field: 'then', target: step.then },
        { field: 'else', target: step.else },
      ];
    case 'split':
      return (step.arms ?? []).map((arm, i) => ({ field: `arms[${i}].next`, target: arm.next }));
    case 'waitForReply':
      return [
        ...(step.routes ?? []).map((route, i) => ({ field: `routes[${i}].next`, target: route.next })),
        { field: 'onTimeout', target: step.onTimeout },
      ];
    case 'wait':
      return step.ifPast ? [implicitNext(), { field: 'ifPast', target: step.ifPast }] : [implicitNext()];
    default:
      return [implicitNext()];
  }
}

/** The step after `stepId` when it has one plain successor (everything but the routing steps). */
export function nextOf(definition: FlowDefinition, stepId: string): string | null {
  const index = definition.steps.findIndex((s) => s.id === stepId);
  if (index < 0) return null;
  const step = definition.steps[index];
  if (EXPLICIT_TARGETS.has(step.type)) return null;
  return step.next ?? fallThrough(definition.steps, index);
}

export interface GraphIssue {
  field: string;
  step?: string;
  message: string;
}

/**
 * Structural checks a form cannot express: unique ids, fields that belong to the step type,
 * targets that exist, no step left unreachable, no loops (each step runs at most once per run,
 * which is what makes `run:<runId>:<stepId>` a safe idempotency key), complete branches.
 */
export function checkGraph(definition: FlowDefinition): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const steps = definition.steps;
  const indexById = new Map<string, number>();

  steps.forEach((step, i) => {
    if (indexById.has(step.id)) {
      issues.push({ field: `steps[${i}].id`, step: step.id, message: `step "${step.id}": id is used by another step (steps[${indexById.get(step.id)}])` });
    } else {
      indexById.set(step.id, i);
    }
    const allowed = new Set(['id', 'type', 'name', ...(STEP_FIELDS[step.type] ?? [])]);
    for (const [field, value] of Object.entries(step)) {
      if (value !== undefined && !allowed.has(field)) {
        issues.push({ field: `steps[${i}].${field}`, step: step.id, message: `step "${step.id}": ${field} does not apply to a ${step.type} step` });
      }
    }
  });

  steps.forEach((step, i) => {
    for (const edge of edgesOf(steps, i)) {
      if (edge.target !== null && !indexById.has(edge.target)) {
        issues.push({ field: `steps[${i}].${edge.field}`, step: step.id, message: `step "${step.id}": ${edge.field} goes to "${edge.target}", which is not a step of this flow` });
      }
      if (edge.target === step.id) {
        issues.push({ field: `steps[${i}].${edge.field}`, step: step.id, message: `step "${step.id}": ${edge.field} goes to the step itself` });
      }
    }
    checkBranches(step, i, issues, definition.messageType);
  });

  if (issues.some((issue) => issue.message.includes('not a step of this flow') || issue.message.includes('is used by another step'))) return issues;

  // Reachability from the first step.
  const reached = new Set<number>();
  const queue = steps.length > 0 ? [0] : [];
  while (queue.length > 0) {
    const i = queue.shift()!;
    if (reached.has(i)) continue;
    reached.add(i);
    for (const edge of edgesOf(steps, i)) if (edge.target !== null) queue.push(indexById.get(edge.target)!);
  }
  steps.forEach((step, i) => {
    if (!reached.has(i)) issues.push({ field: `steps[${i}]`, step: step.id, message: `step "${step.id}" is unreachable: no step leads to it from the first step "${steps[0].id}"` });
  });

  // Loops: a back edge in a depth-first walk.
  const state = new Map<number, 'open' | 'done'>();
  const walk = (i: number): void => {
    state.set(i, 'open');
    for (const edge of edgesOf(steps, i)) {
      if (edge.target === null || edge.target === steps[i].id) continue;
      const j = indexById.get(edge.target)!;
      if (state.get(j) === 'open') {
        issues.push({ field: `steps[${i}].${edge.field}`, step: steps[i].id, message: `step "${steps[i].id}": ${edge.field} goes back to "${edge.target}"; flows cannot loop (each step runs once per run)` });
      } else if (!state.has(j)) {
        walk(j);
      }
    }
    state.set(i, 'done');
  };
  if (steps.length > 0) walk(0);
  return issues;
}

function checkBranches(step: FlowStep, i: number, issues: GraphIssue[], flowType: string): void {
  const at = (field: string, message: string) => issues.push({ field: `steps[${i}].${field}`, step: step.id, message: `step "${step.id}": ${message}` });
  if (step.type === 'send') {
    const type = step.messageType ?? flowType;
    if (type === 'system' && !step.systemKind) at('systemKind', 'a system message needs systemKind (opt_in_request, opt_in_confirmation, stop_confirmation, start_confirmation or help)');
    if (type !== 'system' && step.systemKind) at('systemKind', 'systemKind applies only to system messages');
  }
  if (step.type === 'wait') {
    if (step.ifPast !== undefined && step.until === undefined) at('ifPast', 'ifPast applies only to a wait with until');
  }
  if (step.type === 'split' && Array.isArray(step.arms)) {
    const total = step.arms.reduce((sum, arm) => sum + (Number(arm.percent) || 0), 0);
    if (total !== 100) at('arms', `the arms' percentages add up to ${total}, not 100`);
    const names = step.arms.map((arm) => arm.name);
    if (new Set(names).size !== names.length) at('arms', 'two arms have the same name');
  }
  if (step.type === 'waitForReply' && Array.isArray(step.routes)) {
    const seen = new Set<string>();
    step.routes.forEach((route, r) => {
      const key = route.reply === 'keyword' ? `keyword:${(route.keyword ?? '').toLowerCase()}` : route.reply;
      if (seen.has(key)) at(`routes[${r}]`, `two routes answer the same reply (${key})`);
      seen.add(key);
    });
  }
  if (step.type === 'branch' && step.then !== undefined && step.then === step.else) at('else', 'then and else go to the same step; use next instead of a branch');
}

import type { FlowDefinition, SendStep } from './flow-definition';
import { edgesOf } from './flow-graph';
import type { GraphIssue } from './flow-graph';
import { flowTemplates } from '../logic/flow-template-engine';

/** The send steps that can be a person's first message from this flow. */
export function firstSends(definition: FlowDefinition): { step: SendStep; index: number }[] {
  const steps = definition.steps;
  const indexById = new Map(steps.map((s, i) => [s.id, i] as const));
  const found: { step: SendStep; index: number }[] = [];
  const seen = new Set<number>();
  const queue = steps.length > 0 ? [0] : [];
  while (queue.length > 0) {
    const i = queue.shift()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const step = steps[i];
    if (step.type === 'send') {
      found.push({ step, index: i });
      continue; // what comes after is no longer a first message
    }
    for (const edge of edgesOf(steps, i)) {
      const j = edge.target === null ? undefined : indexById.get(edge.target);
      if (j !== undefined) queue.push(j);
    }
  }
  return found;
}

const OPT_OUT = /\bSTOP\b/i;
const RESUBSCRIBE = /\bSTART\b/i;

/**
 * CTIA: a program's first message identifies the sender and says how to stop. Later messages
 * are not linted (the gateway appends the workspace's opt-out footer to marketing messages
 * without one). A `system` first message may instead say how to resubscribe, and a STOP
 * confirmation needs neither.
 */
export function lintCompliance(definition: FlowDefinition, options: { brandName?: string } = {}): GraphIssue[] {
  const issues: GraphIssue[] = [];
  for (const { step, index } of firstSends(definition)) {
    if (typeof step.template !== 'string') continue;
    let variables: string[][];
    try {
      variables = flowTemplates.variables(step.template);
    } catch {
      continue; // reported by the template check
    }
    const usesBrand = variables.some(([root, field]) => root === 'workspace' && (field === 'brandName' || field === 'name'));
    const literalBrand = options.brandName !== undefined && options.brandName.trim() !== '' && step.template.toLowerCase().includes(options.brandName.toLowerCase());
    const field = `steps[${index}].template`;
    if (!usesBrand && !literalBrand) {
      issues.push({ field, step: step.id, message: `step "${step.id}": the first message must name the sender: include {{ workspace.brandName }}` });
    }
    const type = step.messageType ?? definition.messageType;
    // The STOP confirmation itself has nothing left to stop (seed 003's says no more texts will come).
    const confirmsStop = type === 'system' && step.systemKind === 'stop_confirmation';
    const saysHowToStop = confirmsStop || OPT_OUT.test(step.template) || (type === 'system' && RESUBSCRIBE.test(step.template));
    if (!saysHowToStop) {
      issues.push({ field, step: step.id, message: `step "${step.id}": the first message must carry opt-out language such as "Reply STOP to opt out"` });
    }
  }
  return issues;
}

import jsonLogic from 'json-logic-js';
import type { JsonLogicRule } from '../definition/flow-definition';

/** What branch conditions and trigger filters see. */
export interface ConditionData {
  event: Record<string, unknown>;
  contact: Record<string, unknown>;
  /** Per message type: none | pending | opted_in | opted_out. */
  consent: Record<string, string>;
  run?: Record<string, unknown>;
  /**
   * Segment membership, by segment id, read just before the rule is evaluated
   * (SegmentMembership.of); `{"inSegment": id}` reads it. A segment not here has no members.
   */
  segments?: Record<string, boolean>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// json-logic-js calls an operation with the data as `this`.
jsonLogic.add_operation('inSegment', function (this: ConditionData, segmentId: unknown) {
  return typeof segmentId === 'string' && this.segments?.[segmentId] === true;
});

export const CONDITION_ROOTS = ['event', 'contact', 'consent', 'run'] as const;

/** Evaluates a JSON-Logic rule; JSON-Logic's truthiness decides ("" and [] are false). */
export function evaluateCondition(rule: JsonLogicRule, data: ConditionData): boolean {
  return jsonLogic.truthy(jsonLogic.apply(rule as jsonLogic.RulesLogic, data as unknown as Record<string, unknown>));
}

/**
 * Static check of a rule: every operator known, every `var` under a known root. Returns
 * problems as sentences (empty when fine).
 */
export function checkCondition(rule: unknown): string[] {
  const problems: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      problems.push(`a JSON-Logic rule has exactly one operator, found {${keys.join(', ')}}`);
      return;
    }
    const [operator] = keys;
    const argument = (node as Record<string, unknown>)[operator];
    if (operator === 'var') {
      const name = Array.isArray(argument) ? argument[0] : argument;
      if (typeof name === 'string' && name !== '') {
        const root = name.split('.')[0];
        if (!(CONDITION_ROOTS as readonly string[]).includes(root)) problems.push(`"${name}" is not under event, contact, consent or run`);
      }
      return;
    }
    if (operator === 'inSegment') {
      const id = Array.isArray(argument) ? argument[0] : argument;
      if (typeof id !== 'string' || !UUID.test(id)) problems.push('inSegment takes a segment id, e.g. {"inSegment": "6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10"}');
      return;
    }
    if (!isKnownOperator(operator)) problems.push(`unknown JSON-Logic operator "${operator}"`);
    visit(argument);
  };
  visit(rule);
  return problems;
}

function isKnownOperator(operator: string): boolean {
  try {
    jsonLogic.apply({ [operator]: [] } as jsonLogic.RulesLogic, {});
    return true;
  } catch (error) {
    return !(error instanceof Error && error.message.startsWith('Unrecognized operation'));
  }
}

import { ErrorDetail, ValidationFailedError, validateObject } from '@optline/core';
import type { FlowDefinition } from './flow-definition';
import { FlowDocumentDto } from './flow-document.dto';
import { checkGraph, GraphIssue } from './flow-graph';
import { lintCompliance } from './compliance-lint';
import { checkCondition } from '../logic/condition';
import { flowTemplates } from '../logic/flow-template-engine';

export interface FlowCheckOptions {
  /** The workspace's brand: a first message may name it literally instead of using the variable. */
  brandName?: string;
}

/** Turns a validated DTO into the plain definition stored in a version (no class instances). */
export function toDefinition(document: FlowDocumentDto): FlowDefinition {
  return JSON.parse(JSON.stringify(document)) as FlowDefinition;
}

/**
 * Everything beyond the field rules: trigger options, JSON-Logic, template variables, the graph
 * and the compliance lint. Returns every problem at once, each naming its field (and step).
 */
export function checkFlow(definition: FlowDefinition, options: FlowCheckOptions = {}): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const trigger = definition.trigger;
  const events = trigger.events ?? [];

  if (events.includes('contact.date_reached') && !trigger.dateAttribute) {
    issues.push({ field: 'trigger.dateAttribute', message: 'trigger.dateAttribute is required for contact.date_reached (e.g. birthday)' });
  }
  if (trigger.dateAttribute && !events.includes('contact.date_reached')) {
    issues.push({ field: 'trigger.dateAttribute', message: 'trigger.dateAttribute applies only to contact.date_reached' });
  }
  if (events.includes('customer.lapsed') && !trigger.lapsedDays) {
    issues.push({ field: 'trigger.lapsedDays', message: 'trigger.lapsedDays is required for customer.lapsed (e.g. 90)' });
  }
  if (trigger.lapsedDays && !events.includes('customer.lapsed')) {
    issues.push({ field: 'trigger.lapsedDays', message: 'trigger.lapsedDays applies only to customer.lapsed' });
  }
  if (definition.reentry.mode !== 'cooldown' && definition.reentry.cooldown !== undefined) {
    issues.push({ field: 'reentry.cooldown', message: 'reentry.cooldown applies only to mode cooldown' });
  }
  if (trigger.filter !== undefined) {
    for (const problem of checkCondition(trigger.filter)) issues.push({ field: 'trigger.filter', message: `trigger.filter: ${problem}` });
  }
  (definition.exits ?? []).forEach((exit, i) => {
    if (exit.correlationKey !== undefined && exit.correlationKey !== trigger.correlationKey) {
      issues.push({
        field: `exits[${i}].correlationKey`,
        message: trigger.correlationKey
          ? `exits[${i}].correlationKey must be "${trigger.correlationKey}", the trigger's correlationKey`
          : `exits[${i}].correlationKey needs trigger.correlationKey to compare with`,
      });
    }
  });

  definition.steps.forEach((step, i) => {
    if (step.type === 'branch' && step.condition !== undefined) {
      for (const problem of checkCondition(step.condition)) issues.push({ field: `steps[${i}].condition`, step: step.id, message: `step "${step.id}": condition: ${problem}` });
    }
    const templates: [string, unknown][] = [];
    if (step.type === 'send') templates.push(['template', step.template]);
    if (step.type === 'setAttribute' && typeof step.value === 'string') templates.push(['value', step.value]);
    for (const [field, template] of templates) {
      if (typeof template !== 'string') continue;
      const { unknown, parseError } = flowTemplates.check(template);
      if (parseError) issues.push({ field: `steps[${i}].${field}`, step: step.id, message: `step "${step.id}": ${field} is not a valid Liquid template: ${parseError}` });
      for (const variable of unknown) {
        issues.push({ field: `steps[${i}].${field}`, step: step.id, message: `step "${step.id}": unknown template variable "${variable}"` });
      }
    }
  });

  issues.push(...checkGraph(definition));
  issues.push(...lintCompliance(definition, options));
  return issues;
}

/** Throws a 422 naming every problem, or returns quietly. */
export function assertFlowValid(definition: FlowDefinition, options: FlowCheckOptions = {}): void {
  const issues = checkFlow(definition, options);
  if (issues.length > 0) throw new ValidationFailedError(issues as ErrorDetail[], 'unprocessable', 'flow_invalid');
}

/**
 * Parses and checks a document from outside HTTP (YAML templates, stored versions): field
 * rules first (422 `validation_failed`), then the flow checks (422 `flow_invalid`).
 */
export function parseFlowDocument(value: unknown, options: FlowCheckOptions = {}): FlowDefinition {
  const definition = toDefinition(validateObject(FlowDocumentDto, value));
  assertFlowValid(definition, options);
  return definition;
}

import type { FlowConsentType, FlowDefinition } from './flow-definition';

/**
 * An opt-in flow asks for consent: one of its steps sends an opt-in request. Such a flow is
 * started for one person at a time (a ticked form box, a keyword, a per-contact invitation),
 * never for a whole group in one call (decision 0161).
 */
export function isOptInFlow(definition: FlowDefinition): boolean {
  return definition.steps.some((step) => step.type === 'send' && step.systemKind === 'opt_in_request');
}

/** The message types an opt-in flow asks for: those its YES path opts in (marketing by default). */
export function optInTypes(definition: FlowDefinition): FlowConsentType[] {
  const types = new Set<FlowConsentType>();
  for (const step of definition.steps) if (step.type === 'setConsent' && step.state === 'opted_in') step.types.forEach((t) => types.add(t));
  return types.size > 0 ? [...types] : ['marketing'];
}

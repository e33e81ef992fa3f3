import { setTarget } from './canvas';
import { edgesOf, fallThrough, type FlowDefinition, type FlowStep } from './graph';

/**
 * Edits are pure operations on the flow document; the builder keeps them as commands so undo
 * and redo replay the same functions (history.ts). Every operation returns a new document.
 */
export type PaletteItem =
  | 'send'
  | 'wait'
  | 'waitUntil'
  | 'waitForReply'
  | 'branch'
  | 'addToGroup'
  | 'removeFromGroup'
  | 'setConsent'
  | 'setAttribute'
  | 'webhook'
  | 'exit';

export const PALETTE: { item: PaletteItem; label: string; hint: string }[] = [
  { item: 'send', label: 'Send SMS', hint: 'a text with dynamic fields' },
  { item: 'wait', label: 'Wait', hint: 'for a while' },
  { item: 'waitUntil', label: 'Wait until', hint: 'a time relative to an event field' },
  { item: 'waitForReply', label: 'Wait for reply', hint: 'route on yes / no / a keyword' },
  { item: 'branch', label: 'Branch', hint: 'if a condition holds' },
  { item: 'addToGroup', label: 'Add to group', hint: '' },
  { item: 'removeFromGroup', label: 'Remove from group', hint: '' },
  { item: 'setConsent', label: 'Set consent', hint: 'opt in or out' },
  { item: 'setAttribute', label: 'Set attribute', hint: 'on the contact' },
  { item: 'webhook', label: 'Webhook', hint: 'signed POST' },
  { item: 'exit', label: 'Exit', hint: 'end the run' },
];

const ID_PREFIX: Record<PaletteItem, string> = {
  send: 'send',
  wait: 'wait',
  waitUntil: 'wait-until',
  waitForReply: 'reply',
  branch: 'branch',
  addToGroup: 'add-to-group',
  removeFromGroup: 'remove-from-group',
  setConsent: 'consent',
  setAttribute: 'set',
  webhook: 'webhook',
  exit: 'exit',
};

/** The first free `<prefix>-<n>` id. */
export function newStepId(definition: FlowDefinition, item: PaletteItem): string {
  const taken = new Set(definition.steps.map((s) => s.id));
  for (let n = 1; ; n++) if (!taken.has(`${ID_PREFIX[item]}-${n}`)) return `${ID_PREFIX[item]}-${n}`;
}

/** A new step as dropped from the palette: the least that explains itself on the canvas. */
export function blankStep(item: PaletteItem, id: string): FlowStep {
  switch (item) {
    case 'send':
      return { id, type: 'send', template: '{{ workspace.brandName }}: ' };
    case 'wait':
      return { id, type: 'wait', duration: 'PT1H' };
    case 'waitUntil':
      return { id, type: 'wait', until: 'event.startsAt - PT24H', duration: 'PT1H' };
    case 'waitForReply':
      return { id, type: 'waitForReply', timeout: 'P1D', onTimeout: '', routes: [{ reply: 'yes', next: '' }] };
    case 'branch':
      return { id, type: 'branch', condition: { '==': [{ var: 'consent.marketing' }, 'opted_in'] }, then: '', else: '' };
    case 'addToGroup':
      return { id, type: 'addToGroup', group: 'enrolled' };
    case 'removeFromGroup':
      return { id, type: 'removeFromGroup', group: 'enrolled' };
    case 'setConsent':
      return { id, type: 'setConsent', state: 'opted_in', types: ['marketing'] };
    case 'setAttribute':
      return { id, type: 'setAttribute', attribute: 'lastFlow', value: '{{ flow.name }}' };
    case 'webhook':
      return { id, type: 'webhook', url: 'https://' };
    case 'exit':
      return { id, type: 'exit' };
  }
}

/**
 * Adds a step at the end of the list. The previous last step, which completed the run, now
 * falls through to it; every other path is unchanged.
 */
export function addStep(definition: FlowDefinition, step: FlowStep): FlowDefinition {
  return { ...definition, steps: [...definition.steps, step] };
}

/** Points the edge `source:field` at `target` (connect and reconnect). */
export function connect(definition: FlowDefinition, source: string, field: string, target: string): FlowDefinition {
  const index = definition.steps.findIndex((s) => s.id === source);
  if (index < 0 || !definition.steps.some((s) => s.id === target)) return definition;
  // A `next` equal to the fall-through stays implicit, so the document stays as written by hand.
  const implicit = field === 'next' && fallThrough(definition.steps, index) === target;
  const steps = definition.steps.map((s, i) => (i === index ? setTarget(s, field, implicit ? undefined : target) : s));
  return { ...definition, steps };
}

/**
 * Removes the edge `source:field`: an explicit `next` or `ifPast` is dropped (the step falls
 * through again); a required target (then, else, a reply route…) is left empty for the user
 * to connect, which validation points out on the node.
 */
export function disconnect(definition: FlowDefinition, source: string, field: string): FlowDefinition {
  const optional = field === 'next' || field === 'ifPast';
  const steps = definition.steps.map((s) => (s.id === source ? setTarget(s, field, optional ? undefined : '') : s));
  return { ...definition, steps };
}

/**
 * Removes a step. Edges that led to it now lead to where it went (its plain successor), or
 * are left to connect when it had none. Fall-throughs are pinned first so taking a step out
 * of the list re-routes nothing else.
 */
export function removeStep(definition: FlowDefinition, stepId: string): FlowDefinition {
  const index = definition.steps.findIndex((s) => s.id === stepId);
  if (index < 0) return definition;
  const plain = edgesOf(definition.steps, index).find((e) => e.field === 'next');
  const successor = plain?.target ?? undefined;
  const pinned = pin(definition.steps);
  const steps = pinned
    .filter((s) => s.id !== stepId)
    .map((s) => {
      let copy = s;
      const i = pinned.indexOf(s);
      for (const edge of edgesOf(pinned, i)) {
        if (edge.target !== stepId) continue;
        const optional = edge.field === 'next' || edge.field === 'ifPast';
        if (successor) copy = setTarget(copy, edge.field, successor);
        else copy = setTarget(copy, edge.field, optional ? undefined : '');
      }
      return copy;
    });
  return tidy({ ...definition, steps });
}

/** Every fall-through written out as an explicit `next` (tidy() takes the needless ones away again). */
function pin(steps: readonly FlowStep[]): FlowStep[] {
  return steps.map((s, i) => {
    const out = edgesOf(steps, i).find((e) => e.field === 'next');
    return out && s.next === undefined && out.target !== null ? ({ ...s, next: out.target } as FlowStep) : s;
  });
}

/** Drops a `next` that equals the fall-through, so edits do not litter the document. */
export function tidy(definition: FlowDefinition): FlowDefinition {
  const steps = definition.steps.map((s, i) => (s.next !== undefined && s.next === fallThrough(definition.steps, i) ? (omit(s, 'next') as FlowStep) : s));
  return { ...definition, steps };
}

function omit<T extends object>(value: T, key: string): T {
  const copy = { ...value } as Record<string, unknown>;
  delete copy[key];
  return copy as T;
}

/** Replaces fields of one step; a field set to undefined is removed. Renaming an id renames its references. */
export function updateStep(definition: FlowDefinition, stepId: string, patch: Partial<Record<string, unknown>>): FlowDefinition {
  let next = definition;
  if (typeof patch.id === 'string' && patch.id !== stepId) next = renameStep(next, stepId, patch.id);
  const id = typeof patch.id === 'string' ? patch.id : stepId;
  const steps = next.steps.map((s) => {
    if (s.id !== id) return s;
    const copy = { ...s, ...patch, id } as Record<string, unknown>;
    for (const [key, value] of Object.entries(copy)) if (value === undefined) delete copy[key];
    return copy as unknown as FlowStep;
  });
  return { ...next, steps };
}

export function renameStep(definition: FlowDefinition, from: string, to: string): FlowDefinition {
  const steps = definition.steps.map((s, i) => {
    let copy: FlowStep = s.id === from ? ({ ...s, id: to } as FlowStep) : s;
    for (const edge of edgesOf(definition.steps, i)) {
      if (edge.target === from && !(edge.field === 'next' && s.next === undefined)) copy = setTarget(copy, edge.field, to);
    }
    return copy;
  });
  return { ...definition, steps };
}

/** Changes the flow's own fields (name, trigger, exits, re-entry, message type). */
export function updateFlow(definition: FlowDefinition, patch: Partial<Omit<FlowDefinition, 'steps'>>): FlowDefinition {
  const copy = { ...definition, ...patch } as Record<string, unknown>;
  for (const [key, value] of Object.entries(copy)) if (value === undefined) delete copy[key];
  return copy as unknown as FlowDefinition;
}

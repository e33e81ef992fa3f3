import { describe, expect, it } from 'vitest';
import type { FlowDefinition, FlowStep } from './graph';
import { historyReducer, startHistory, type Command } from './history';
import { addStep, blankStep, connect, disconnect, newStepId, removeStep, renameStep, updateFlow, updateStep } from './operations';

const flow = (steps: FlowStep[]): FlowDefinition => ({ name: 'F', messageType: 'marketing', trigger: { events: ['checkout.updated'] }, reentry: { mode: 'never' }, steps });
const send = (id: string, extra: Partial<FlowStep> = {}) => ({ id, type: 'send', template: 'Acme: hi. STOP to opt out', ...extra }) as FlowStep;
const exit = (id: string) => ({ id, type: 'exit' }) as FlowStep;
const branch = (id: string, then: string, otherwise: string) => ({ id, type: 'branch', condition: { '==': [1, 1] }, then, else: otherwise }) as FlowStep;

describe('document operations', () => {
  const cases: { name: string; before: FlowDefinition; op: (d: FlowDefinition) => FlowDefinition; after: FlowStep[] }[] = [
    { name: 'add appends; the former last step falls through to it', before: flow([send('a')]), op: (d) => addStep(d, exit('b')), after: [send('a'), exit('b')] },
    { name: 'connect next to a later step writes next', before: flow([send('a'), send('b'), exit('c')]), op: (d) => connect(d, 'a', 'next', 'c'), after: [send('a', { next: 'c' }), send('b'), exit('c')] },
    { name: 'connect next to the fall-through keeps it implicit', before: flow([send('a', { next: 'c' }), send('b'), exit('c')]), op: (d) => connect(d, 'a', 'next', 'b'), after: [send('a'), send('b'), exit('c')] },
    { name: 'connect a branch arm', before: flow([branch('x', '', ''), exit('y'), exit('z')]), op: (d) => connect(connect(d, 'x', 'then', 'y'), 'x', 'else', 'z'), after: [branch('x', 'y', 'z'), exit('y'), exit('z')] },
    {
      name: 'connect a reply route and the timeout',
      before: flow([{ id: 'r', type: 'waitForReply', timeout: 'P1D', onTimeout: '', routes: [{ reply: 'yes', next: '' }] } as FlowStep, exit('y'), exit('n')]),
      op: (d) => connect(connect(d, 'r', 'routes[0].next', 'y'), 'r', 'onTimeout', 'n'),
      after: [{ id: 'r', type: 'waitForReply', timeout: 'P1D', onTimeout: 'n', routes: [{ reply: 'yes', next: 'y' }] } as FlowStep, exit('y'), exit('n')],
    },
    { name: 'connect to an unknown step changes nothing', before: flow([send('a')]), op: (d) => connect(d, 'a', 'next', 'nope'), after: [send('a')] },
    { name: 'disconnect an explicit next falls through again', before: flow([send('a', { next: 'c' }), send('b'), exit('c')]), op: (d) => disconnect(d, 'a', 'next'), after: [send('a'), send('b'), exit('c')] },
    { name: 'disconnect a branch arm leaves it to connect', before: flow([branch('x', 'y', 'z'), exit('y'), exit('z')]), op: (d) => disconnect(d, 'x', 'then'), after: [branch('x', '', 'z'), exit('y'), exit('z')] },
    { name: 'remove a middle step: its predecessor goes where it went', before: flow([send('a'), send('b'), send('c')]), op: (d) => removeStep(d, 'b'), after: [send('a'), send('c')] },
    { name: 'remove the last step: the run completes after the one before', before: flow([send('a'), send('b')]), op: (d) => removeStep(d, 'b'), after: [send('a')] },
    { name: 'remove a branch target: the arm is left to connect', before: flow([branch('x', 'y', 'z'), exit('y'), exit('z')]), op: (d) => removeStep(d, 'y'), after: [branch('x', '', 'z'), exit('z')] },
    {
      name: 'remove a step an arm points to: the arm follows its successor',
      before: flow([branch('x', 'w', 'z'), exit('z'), { id: 'w', type: 'wait', duration: 'PT1H' } as FlowStep, send('s')]),
      op: (d) => removeStep(d, 'w'),
      after: [branch('x', 's', 'z'), exit('z'), send('s')],
    },
    { name: 'remove the first step: the next one is first', before: flow([send('a'), send('b')]), op: (d) => removeStep(d, 'a'), after: [send('b')] },
    {
      name: 'remove keeps others from re-routing (an exit before a pinned fall-through)',
      before: flow([send('a', { next: 'c' }), exit('b'), send('c')]),
      op: (d) => removeStep(d, 'b'),
      after: [send('a'), send('c')],
    },
    { name: 'update a field; undefined removes it', before: flow([send('a', { messageType: 'transactional' })]), op: (d) => updateStep(d, 'a', { template: 'x', messageType: undefined }), after: [{ id: 'a', type: 'send', template: 'x' } as FlowStep] },
    { name: 'rename rewrites explicit references', before: flow([branch('x', 'y', 'z'), exit('y'), exit('z')]), op: (d) => renameStep(d, 'y', 'yes'), after: [branch('x', 'yes', 'z'), exit('yes'), exit('z')] },
    { name: 'update with a new id renames', before: flow([send('a', { next: 'c' }), send('b'), exit('c')]), op: (d) => updateStep(d, 'c', { id: 'done' }), after: [send('a', { next: 'done' }), send('b'), exit('done')] },
  ];

  it.each(cases)('$name', ({ before, op, after }) => {
    const snapshot = structuredClone(before);
    expect(op(before).steps).toEqual(after);
    expect(before).toEqual(snapshot); // operations never change their input
  });

  it('names new steps by type, skipping ids in use', () => {
    const d = flow([send('send-1'), send('send-2')]);
    expect(newStepId(d, 'send')).toBe('send-3');
    expect(newStepId(d, 'waitUntil')).toBe('wait-until-1');
    expect(blankStep('waitUntil', 'w')).toEqual({ id: 'w', type: 'wait', until: 'event.startsAt - PT24H', duration: 'PT1H' });
  });

  it('changes flow fields and removes the ones set to undefined', () => {
    const d = { ...flow([]), exits: [{ event: 'order.created' as const }] };
    expect(updateFlow(d, { name: 'G', exits: undefined })).toEqual({ ...flow([]), name: 'G' });
  });
});

describe('undo and redo', () => {
  const add = (id: string): Command => ({ label: `add ${id}`, apply: (d) => addStep(d, exit(id)) });
  const type = (text: string): Command => ({ label: 'type', coalesce: 'a:template', apply: (d) => updateStep(d, 'a', { template: text }) });

  it('undo restores the document, redo replays the command, a new edit drops the redo stack', () => {
    let h = startHistory(flow([send('a')]));
    h = historyReducer(h, { type: 'do', command: add('b') });
    h = historyReducer(h, { type: 'do', command: add('c') });
    expect(h.present.steps.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    h = historyReducer(h, { type: 'undo' });
    h = historyReducer(h, { type: 'undo' });
    expect(h.present.steps.map((s) => s.id)).toEqual(['a']);
    h = historyReducer(h, { type: 'redo' });
    expect(h.present.steps.map((s) => s.id)).toEqual(['a', 'b']);
    h = historyReducer(h, { type: 'do', command: add('d') });
    expect(h.future).toEqual([]);
    expect(historyReducer(h, { type: 'redo' })).toBe(h);
  });

  it('typing in one field is one step of undo', () => {
    let h = startHistory(flow([send('a')]));
    for (const text of ['A', 'Ac', 'Acm', 'Acme']) h = historyReducer(h, { type: 'do', command: type(text) });
    expect(h.past).toHaveLength(1);
    h = historyReducer(h, { type: 'undo' });
    expect(h.present.steps[0]).toEqual(send('a'));
    h = historyReducer(h, { type: 'redo' });
    expect((h.present.steps[0] as { template: string }).template).toBe('Acme');
  });
});

import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { END_ID, fromCanvas, toCanvas, TRIGGER_ID } from './canvas';
import type { FlowDefinition } from './graph';
import { layout } from './layout';

// Every built-in template, read from config/flows at test time (a new template is covered unasked).
const files = import.meta.glob('../../../../../config/flows/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const templates = Object.entries(files).map(([path, text]) => {
  const doc = load(text) as { key: string; flow: FlowDefinition };
  return { key: doc.key ?? path, flow: doc.flow };
});

describe('diagram ⇄ document', () => {
  it('reads the built-in templates', () => {
    expect(templates.length).toBeGreaterThanOrEqual(20);
  });

  it.each(templates.map((t) => [t.key, t.flow] as const))('%s: document → diagram → document is identical, and so is the diagram drawn again', (_key, flow) => {
    const canvas = toCanvas(flow);
    const back = fromCanvas(canvas);
    expect(back).toEqual(flow);
    expect(JSON.stringify(back)).toBe(JSON.stringify({ ...back })); // plain data, nothing extra
    expect(toCanvas(back)).toEqual(canvas);
  });

  it.each(templates.map((t) => [t.key, t.flow] as const))('%s: node id = step id, edge id = stepId:field, every step laid out', (_key, flow) => {
    const canvas = layout(toCanvas(flow));
    const stepIds = flow.steps.map((s) => s.id);
    expect(canvas.nodes.filter((n) => n.type === 'step').map((n) => n.id)).toEqual(stepIds);
    expect(canvas.nodes[0].id).toBe(TRIGGER_ID);
    for (const edge of canvas.edges) {
      expect(edge.id).toBe(`${edge.source}:${edge.data.field}`);
      expect([...stepIds, END_ID]).toContain(edge.target);
    }
    expect(new Set(canvas.edges.map((e) => e.id)).size).toBe(canvas.edges.length);
    for (const node of canvas.nodes) expect(Number.isFinite(node.position.x) && Number.isFinite(node.position.y)).toBe(true);
  });

  it('labels branches and reply outcomes, and shows where a run completes', () => {
    const flow: FlowDefinition = {
      name: 'Ask',
      messageType: 'marketing',
      trigger: { events: ['form.submitted'] },
      reentry: { mode: 'never' },
      steps: [
        { id: 'ask', type: 'send', template: 'Acme: Reply Y. STOP to opt out' },
        { id: 'reply', type: 'waitForReply', timeout: 'P3D', onTimeout: 'bye', routes: [{ reply: 'yes', next: 'vip' }, { reply: 'keyword', keyword: 'LATER', next: 'bye' }] },
        { id: 'vip', type: 'branch', condition: { '==': [1, 1] }, then: 'bye', else: 'stop' },
        { id: 'stop', type: 'exit' },
        { id: 'bye', type: 'send', template: 'Thanks' },
      ],
    };
    const { edges, nodes } = toCanvas(flow);
    const labels = Object.fromEntries(edges.map((e) => [e.id, e.label ?? '']));
    expect(labels).toEqual({
      '@trigger:start': '',
      'ask:next': '',
      'reply:routes[0].next': 'replies yes',
      'reply:routes[1].next': 'replies LATER',
      'reply:onTimeout': 'no reply in 3 d',
      'vip:then': 'yes',
      'vip:else': 'no',
      'bye:next': '',
    });
    expect(edges.find((e) => e.id === 'bye:next')?.target).toBe(END_ID);
    expect(nodes.some((n) => n.id === END_ID)).toBe(true);
  });

  it('pins validation issues to the step they name (by step or by steps[i] field), the rest to the trigger', () => {
    const flow = templates.find((t) => t.key === 'abandoned-cart')!.flow;
    const { nodes } = toCanvas(flow, {
      issues: [
        { field: 'steps[1].template', step: 'nudge-1', message: 'says who' },
        { field: 'steps[2].duration', message: 'bad duration' },
        { field: 'trigger.correlationKey', message: 'no such field' },
      ],
    });
    const issues = Object.fromEntries(nodes.map((n) => [n.id, n.data.issues]));
    expect(issues['nudge-1']).toEqual(['says who']);
    expect(issues['wait-24h']).toEqual(['bad duration']);
    expect(issues[TRIGGER_ID]).toEqual(['no such field']);
    expect(issues['wait-1h']).toEqual([]);
  });

  it('lights the path of a run: its steps, the edges between them, the step it waits on', () => {
    const flow = templates.find((t) => t.key === 'abandoned-cart')!.flow;
    const { nodes, edges } = toCanvas(flow, { path: ['wait-1h', 'nudge-1', 'wait-24h'], current: 'wait-24h' });
    expect(nodes.filter((n) => n.data.onPath).map((n) => n.id)).toEqual([TRIGGER_ID, 'wait-1h', 'nudge-1', 'wait-24h']);
    expect(nodes.find((n) => n.data.current)?.id).toBe('wait-24h');
    expect(edges.filter((e) => e.data.onPath).map((e) => e.id)).toEqual(['@trigger:start', 'wait-1h:next', 'nudge-1:next']);
  });
});

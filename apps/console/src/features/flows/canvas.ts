import { edgesOf, type FlowDefinition, type FlowStep } from './graph';

/**
 * The diagram is derived from the flow document, never stored: node id = step id (plus the
 * trigger and "run completes" nodes, whose ids cannot be step ids), edge id = `stepId:field`
 * where field is the document field holding the target (`next`, `then`, `routes[1].next`…).
 * Positions come from the layout, so the document stays free of UI state.
 */
export const TRIGGER_ID = '@trigger';
export const END_ID = '@end';

export interface Issue {
  field: string;
  step?: string;
  message: string;
}

export interface Overlay {
  /** Validation problems from the hub (`details[]` of 400/422), pinned to their step. */
  issues?: Issue[];
  /** Steps a run or simulation went through, in order; `current` is where a live run waits. */
  path?: string[];
  current?: string | null;
}

export type NodeKind = 'trigger' | 'step' | 'end';

export interface CanvasNodeData extends Record<string, unknown> {
  kind: NodeKind;
  step?: FlowStep;
  /** The step's place in the list (the order is part of the document: it decides fall-through). */
  index?: number;
  /** Everything of the document but its steps (shown on the trigger node). */
  definition?: Omit<FlowDefinition, 'steps'>;
  outputs: { field: string; label: string }[];
  issues: string[];
  onPath: boolean;
  current: boolean;
}

export interface CanvasNode {
  id: string;
  type: NodeKind;
  position: { x: number; y: number };
  data: CanvasNodeData;
}

export interface CanvasEdgeData extends Record<string, unknown> {
  field: string;
  /** A fall-through to the next step in the list (no `next` written in the document). */
  implicit: boolean;
  onPath: boolean;
}

export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string;
  label?: string;
  data: CanvasEdgeData;
}

export interface Canvas {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

/** The label an outgoing edge carries on the diagram. */
export function edgeLabel(step: FlowStep, field: string): string {
  if (step.type === 'branch') return field === 'then' ? 'yes' : 'no';
  if (step.type === 'wait' && field === 'ifPast') return 'if already past';
  if (step.type === 'waitForReply') {
    if (field === 'onTimeout') return `no reply in ${humanDuration(step.timeout)}`;
    const route = step.routes?.[Number(/routes\[(\d+)\]/.exec(field)?.[1])];
    if (route) return route.reply === 'keyword' ? `replies ${route.keyword ?? '?'}` : `replies ${route.reply}`;
  }
  if (step.type === 'split') {
    const arm = step.arms?.[Number(/arms\[(\d+)\]/.exec(field)?.[1])];
    if (arm) return `${arm.name} ${arm.percent}%`;
  }
  return '';
}

/** `PT24H` → `24 h`, `P3D` → `3 d`: enough to label an edge or a node. */
export function humanDuration(iso: string | undefined): string {
  if (!iso) return '?';
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const units = ['y', 'mo', 'w', 'd', 'h', 'min', 's'];
  const parts = units.flatMap((u, i) => (m[i + 1] ? [`${m[i + 1]} ${u}`] : []));
  return parts.length ? parts.join(' ') : iso;
}

function issueStep(issue: Issue, steps: readonly FlowStep[]): string | undefined {
  if (issue.step && steps.some((s) => s.id === issue.step)) return issue.step;
  const index = /^steps\[(\d+)\]/.exec(issue.field)?.[1];
  if (index !== undefined) return steps[Number(index)]?.id;
  return undefined;
}

export function toCanvas(definition: FlowDefinition, overlay: Overlay = {}): Canvas {
  const steps = definition.steps ?? [];
  const ids = new Set(steps.map((s) => s.id));
  const path = overlay.path ?? [];
  const onPath = new Set(path);
  const pathPairs = new Set(path.slice(1).map((id, i) => `${path[i]}>${id}`));
  const issuesByNode = new Map<string, string[]>();
  for (const issue of overlay.issues ?? []) {
    const node = issueStep(issue, steps) ?? TRIGGER_ID;
    issuesByNode.set(node, [...(issuesByNode.get(node) ?? []), issue.message]);
  }

  const nodes: CanvasNode[] = [];
  const edges: CanvasEdge[] = [];
  const { steps: _steps, ...flow } = definition;
  void _steps;
  nodes.push({
    id: TRIGGER_ID,
    type: 'trigger',
    position: { x: 0, y: 0 },
    data: {
      kind: 'trigger',
      definition: flow,
      outputs: [{ field: 'start', label: '' }],
      issues: issuesByNode.get(TRIGGER_ID) ?? [],
      onPath: path.length > 0,
      current: false,
    },
  });
  if (steps.length > 0) {
    edges.push({
      id: `${TRIGGER_ID}:start`,
      source: TRIGGER_ID,
      target: steps[0].id,
      sourceHandle: 'start',
      data: { field: 'start', implicit: true, onPath: path[0] === steps[0].id },
    });
  }

  let completes = false;
  steps.forEach((step, index) => {
    const outs = edgesOf(steps, index);
    nodes.push({
      id: step.id,
      type: 'step',
      position: { x: 0, y: 0 },
      data: {
        kind: 'step',
        step,
        index,
        outputs: outs.map((e) => ({ field: e.field, label: edgeLabel(step, e.field) })),
        issues: issuesByNode.get(step.id) ?? [],
        onPath: onPath.has(step.id),
        current: overlay.current === step.id,
      },
    });
    for (const out of outs) {
      // An empty or unknown target is left unconnected: the hub's validation names it on the node.
      if (out.target !== null && !ids.has(out.target)) continue;
      const target = out.target ?? END_ID;
      if (target === END_ID) completes = true;
      const label = edgeLabel(step, out.field);
      edges.push({
        id: `${step.id}:${out.field}`,
        source: step.id,
        target,
        sourceHandle: out.field,
        ...(label ? { label } : {}),
        data: {
          field: out.field,
          implicit: out.field === 'next' && step.next === undefined,
          onPath: target === END_ID ? onPath.has(step.id) && path[path.length - 1] === step.id && !overlay.current : pathPairs.has(`${step.id}>${target}`),
        },
      });
    }
  });
  if (completes) {
    nodes.push({ id: END_ID, type: 'end', position: { x: 0, y: 0 }, data: { kind: 'end', outputs: [], issues: [], onPath: false, current: false } });
  }
  return { nodes, edges };
}

/** Writes `target` into the step field an edge stands for (a copy; the step is not changed). */
export function setTarget(step: FlowStep, field: string, target: string | undefined): FlowStep {
  const copy = structuredClone(step) as FlowStep & Record<string, unknown>;
  const indexed = /^(routes|arms)\[(\d+)\]\.next$/.exec(field);
  if (indexed) {
    const list = copy[indexed[1]] as { next: string }[] | undefined;
    const item = list?.[Number(indexed[2])];
    if (item) item.next = target ?? '';
    return copy;
  }
  if (target === undefined) delete copy[field];
  else copy[field] = target;
  return copy;
}

/**
 * The document back from a diagram: steps in node order, targets read from the edges (a
 * fall-through edge writes no `next`), everything else from the step the node carries.
 */
export function fromCanvas(canvas: Canvas): FlowDefinition {
  const trigger = canvas.nodes.find((n) => n.data.kind === 'trigger');
  if (!trigger?.data.definition) throw new Error('the diagram has no trigger node');
  const stepNodes = canvas.nodes.filter((n) => n.data.kind === 'step').sort((a, b) => (a.data.index ?? 0) - (b.data.index ?? 0));
  const steps = stepNodes.map((node) => {
    let step = node.data.step!;
    for (const edge of canvas.edges.filter((e) => e.source === node.id)) {
      if (edge.data.implicit) continue;
      step = setTarget(step, edge.data.field, edge.target === END_ID ? undefined : edge.target);
    }
    return step;
  });
  return { ...trigger.data.definition, steps };
}

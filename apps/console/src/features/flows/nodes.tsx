import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { humanDuration, type CanvasNodeData } from './canvas';
import type { FlowStep } from './graph';

const TYPE_LABEL: Record<string, string> = {
  send: 'Send SMS',
  wait: 'Wait',
  waitForReply: 'Wait for reply',
  branch: 'Branch',
  split: 'A/B split',
  addToGroup: 'Add to group',
  removeFromGroup: 'Remove from group',
  setConsent: 'Set consent',
  setAttribute: 'Set attribute',
  webhook: 'Webhook',
  exit: 'Exit',
};

/** One line saying what the step does, for the node. */
export function summary(step: FlowStep): string {
  switch (step.type) {
    case 'send':
      return step.template.length > 70 ? `${step.template.slice(0, 70)}…` : step.template;
    case 'wait':
      return step.until ? `until ${step.until}${step.duration ? ` (else ${humanDuration(step.duration)})` : ''}` : `${humanDuration(step.duration)}`;
    case 'waitForReply':
      return `up to ${humanDuration(step.timeout)}`;
    case 'branch':
      return `if ${JSON.stringify(step.condition)}`.slice(0, 70);
    case 'split':
      return (step.arms ?? []).map((a) => `${a.name} ${a.percent}%`).join(' / ');
    case 'addToGroup':
    case 'removeFromGroup':
      return step.group;
    case 'setConsent':
      return `${step.state}: ${(step.types ?? []).join(', ')}`;
    case 'setAttribute':
      return `${step.attribute} = ${String(step.value)}`;
    case 'webhook':
      return step.url;
    case 'exit':
      return step.reason ?? 'ends the run';
  }
}

type FlowNode = Node<CanvasNodeData>;

function classes(data: CanvasNodeData, base: string, selected?: boolean) {
  return [base, data.issues.length ? 'flow-node--invalid' : '', data.onPath ? 'flow-node--path' : '', data.current ? 'flow-node--current' : '', selected ? 'flow-node--selected' : '']
    .filter(Boolean)
    .join(' ');
}

function Issues({ issues }: { issues: string[] }) {
  if (!issues.length) return null;
  return (
    <p className="flow-node__issue" role="alert">
      {issues[0]}
      {issues.length > 1 ? ` (+${issues.length - 1})` : ''}
    </p>
  );
}

export function TriggerNode({ data }: NodeProps<FlowNode>) {
  const flow = data.definition!;
  const events = flow.trigger?.events ?? [];
  return (
    <div className={classes(data, 'flow-node flow-node--trigger')} aria-label="Trigger">
      <p className="flow-node__type">Trigger</p>
      <p className="flow-node__title">{events.length ? events.join(', ') : 'enrolled by hand'}</p>
      {flow.exits?.length ? <p className="flow-node__summary">Ends on {flow.exits.map((e) => e.event).join(', ')}</p> : null}
      <Issues issues={data.issues} />
      <Handle type="source" position={Position.Bottom} id="start" isConnectable={false} />
    </div>
  );
}

export function StepNode({ data, selected }: NodeProps<FlowNode>) {
  const step = data.step!;
  const outputs = data.outputs;
  return (
    <div className={classes(data, `flow-node flow-node--${step.type}`, selected)}>
      <Handle type="target" position={Position.Top} />
      <p className="flow-node__type">
        {TYPE_LABEL[step.type] ?? step.type} <span className="flow-node__id">{step.id}</span>
      </p>
      <p className="flow-node__summary">{summary(step)}</p>
      <Issues issues={data.issues} />
      {outputs.map((out, i) => (
        <Handle
          key={out.field}
          type="source"
          position={Position.Bottom}
          id={out.field}
          title={out.label || out.field}
          style={{ left: `${((i + 1) * 100) / (outputs.length + 1)}%` }}
        />
      ))}
    </div>
  );
}

export function EndNode({ data }: NodeProps<FlowNode>) {
  return (
    <div className={classes(data, 'flow-node flow-node--end')}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      Run completes
    </div>
  );
}

export const NODE_TYPES = { trigger: TriggerNode, step: StepNode, end: EndNode };

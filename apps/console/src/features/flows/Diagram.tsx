import { Background, Controls, MarkerType, ReactFlow, type Connection, type Edge, type Node, type ReactFlowInstance } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, type DragEvent } from 'react';
import type { Canvas, CanvasEdgeData, CanvasNodeData } from './canvas';
import { layout } from './layout';
import { NODE_TYPES } from './nodes';
import { FLOW_UI } from './selectors';
import './flows.css';

export interface DiagramProps {
  canvas: Canvas;
  selected?: string;
  editable?: boolean;
  onSelect?: (nodeId: string | null) => void;
  onConnect?: (source: string, field: string, target: string) => void;
  onDisconnect?: (source: string, field: string) => void;
  onRemove?: (stepId: string) => void;
  onDrop?: (item: string) => void;
  onInit?: (instance: ReactFlowInstance<Node<CanvasNodeData>, Edge<CanvasEdgeData>>) => void;
}

/** The flow as a diagram: derived from the document (canvas.ts), laid out by dagre, never stored. */
export function Diagram({ canvas, selected, editable = false, onSelect, onConnect, onDisconnect, onRemove, onDrop, onInit }: DiagramProps) {
  const laid = useMemo(() => layout(canvas), [canvas]);
  // A structural edit lays the graph out again; the view follows so every step stays in sight.
  const instance = useRef<ReactFlowInstance<Node<CanvasNodeData>, Edge<CanvasEdgeData>> | null>(null);
  const structure = `${canvas.nodes.map((n) => n.id).join(',')}|${canvas.edges.map((e) => `${e.id}>${e.target}`).join(',')}`;
  useEffect(() => {
    const frame = requestAnimationFrame(() => void instance.current?.fitView({ maxZoom: 1 }));
    return () => cancelAnimationFrame(frame);
  }, [structure]);
  const nodes = useMemo<Node<CanvasNodeData>[]>(
    () => laid.nodes.map((n) => ({ ...n, selected: n.id === selected, deletable: editable && n.type === 'step', draggable: false })),
    [laid, selected, editable],
  );
  const edges = useMemo<Edge<CanvasEdgeData>[]>(
    () =>
      laid.edges.map((e) => ({
        ...e,
        type: 'smoothstep',
        deletable: editable && e.source !== '@trigger',
        reconnectable: editable && e.source !== '@trigger' ? 'target' : false,
        markerEnd: { type: MarkerType.ArrowClosed },
        className: e.data.onPath ? 'flow-edge--path' : undefined,
        labelBgPadding: [4, 2] as [number, number],
      })),
    [laid, editable],
  );

  const connect = (c: Connection) => {
    if (c.source && c.target && c.sourceHandle) onConnect?.(c.source, c.sourceHandle, c.target);
  };

  return (
    <div
      className="flow-canvas"
      aria-label={FLOW_UI.canvas}
      role="region"
      onDragOver={(e: DragEvent) => {
        if (!editable) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }}
      onDrop={(e: DragEvent) => {
        const item = e.dataTransfer.getData('application/x-optline-step');
        if (!editable || !item) return;
        e.preventDefault();
        onDrop?.(item);
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onInit={(i) => {
          instance.current = i;
          onInit?.(i);
        }}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={editable}
        edgesReconnectable={editable}
        onConnect={connect}
        onReconnect={(old, c) => {
          if (old.sourceHandle && c.target) onConnect?.(old.source, old.sourceHandle, c.target);
        }}
        onNodeClick={(_e, node) => onSelect?.(node.type === 'step' ? node.id : null)}
        onPaneClick={() => onSelect?.(null)}
        onNodesDelete={(deleted) => deleted.forEach((n) => n.type === 'step' && onRemove?.(n.id))}
        onEdgesDelete={(deleted) => deleted.forEach((e) => e.sourceHandle && onDisconnect?.(e.source, e.sourceHandle))}
        deleteKeyCode={editable ? ['Backspace', 'Delete'] : null}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

import dagre from '@dagrejs/dagre';
import type { Canvas, CanvasNode } from './canvas';

export const NODE_WIDTH = 250;
const HEIGHT: Record<CanvasNode['type'], number> = { trigger: 96, step: 88, end: 44 };

/**
 * Positions from the graph alone (dagre, top to bottom): the document stores none, so the same
 * document always draws the same diagram, and a structural edit simply lays out again.
 */
export function layout(canvas: Canvas): Canvas {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 64, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of canvas.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: HEIGHT[node.type] + (node.data.issues.length ? 28 : 0) });
  for (const edge of canvas.edges) g.setEdge(edge.source, edge.target, { label: edge.label ?? '', width: edge.label ? 90 : 0, height: edge.label ? 20 : 0 });
  dagre.layout(g);
  return {
    ...canvas,
    nodes: canvas.nodes.map((node) => {
      const { x, y, width, height } = g.node(node.id);
      return { ...node, position: { x: x - width / 2, y: y - height / 2 } };
    }),
  };
}

/** Labels and test ids the builder and its browser tests share (defined once). */
export const FLOW_UI = {
  palette: 'Steps you can add',
  canvas: 'Flow diagram',
  stepPanel: 'Step',
  flowPanel: 'Flow settings',
  save: 'Save draft',
  activate: 'Activate',
  undo: 'Undo',
  redo: 'Redo',
  autoLayout: 'Auto-layout',
  document: 'Document',
  simulate: 'Simulate',
  template: 'Message (Liquid)',
  paletteItem: (item: string) => `palette-${item}`,
} as const;

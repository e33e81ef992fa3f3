import type { FlowDefinition } from './graph';

/** One edit: a label for the undo button and the pure operation it applies. */
export interface Command {
  label: string;
  apply: (definition: FlowDefinition) => FlowDefinition;
  /** Typing in one field is one edit: a command with the same key as the last one joins it. */
  coalesce?: string;
}

export interface History {
  present: FlowDefinition;
  past: { label: string; before: FlowDefinition; command: Command }[];
  future: Command[];
}

export type HistoryAction = { type: 'do'; command: Command } | { type: 'undo' } | { type: 'redo' } | { type: 'reset'; definition: FlowDefinition };

export function startHistory(definition: FlowDefinition): History {
  return { present: definition, past: [], future: [] };
}

/** Undo restores the document as it was; redo applies the same command again. */
export function historyReducer(state: History, action: HistoryAction): History {
  switch (action.type) {
    case 'do': {
      const after = action.command.apply(state.present);
      if (after === state.present) return state;
      const last = state.past[state.past.length - 1];
      if (action.command.coalesce && last?.command.coalesce === action.command.coalesce) {
        const first = last.command;
        const joined: Command = { label: action.command.label, coalesce: action.command.coalesce, apply: (d) => action.command.apply(first.apply(d)) };
        return { present: after, past: [...state.past.slice(0, -1), { label: joined.label, before: last.before, command: joined }], future: [] };
      }
      return { present: after, past: [...state.past, { label: action.command.label, before: state.present, command: action.command }].slice(-200), future: [] };
    }
    case 'undo': {
      const last = state.past[state.past.length - 1];
      if (!last) return state;
      return { present: last.before, past: state.past.slice(0, -1), future: [last.command, ...state.future] };
    }
    case 'redo': {
      const [command, ...rest] = state.future;
      if (!command) return state;
      return { present: command.apply(state.present), past: [...state.past, { label: command.label, before: state.present, command }], future: rest };
    }
    case 'reset':
      return startHistory(action.definition);
  }
}

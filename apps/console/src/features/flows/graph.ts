// The flow document's types and its edge derivation, shared with the hub: the very module the
// hub's validator and runner use (dependency-free), so the diagram can never disagree with
// what a run does.
export type {
  FlowDefinition,
  FlowStep,
  StepType,
  SendStep,
  WaitStep,
  WaitForReplyStep,
  BranchStep,
  SplitStep,
  FlowEventType,
  ReplyKind,
} from '../../../../../libs/flows/src/definition/flow-definition';
export { FLOW_EVENT_TYPES, STEP_TYPES, REPLY_KINDS } from '../../../../../libs/flows/src/definition/flow-definition';
export { edgesOf, fallThrough, STEP_FIELDS, type Edge as GraphEdge } from '../../../../../libs/flows/src/definition/flow-graph';

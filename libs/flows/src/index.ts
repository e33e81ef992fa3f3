export * from './flows.module';
export * from './flows-worker.module';
export type {
  FlowDefinition,
  FlowStep,
  FlowTrigger,
  FlowExit,
  FlowReentry,
  FlowMessageType,
  FlowEventType,
  StepType,
} from './definition/flow-definition';
export { FLOW_EVENT_TYPES, STEP_TYPES } from './definition/flow-definition';
export { FlowDocumentDto } from './definition/flow-document.dto';
export { checkFlow, parseFlowDocument } from './definition/flow-validator';
export { FlowService } from './lifecycle/flow.service';
export { FlowRunner } from './runner/flow-runner.service';
export { FlowEnrolmentService } from './runner/flow-enrolment.service';
export { SegmentMembership, segmentIdsOf, type SegmentMembershipSource } from './logic/segment-membership';
export { FlowReconciler, type ReconcileReport } from './runner/flow-reconciler.service';
export { ScheduledEventScanner, type ScanReport } from './timed/scheduled-event.scanner';
export { FlowMaintenance } from './timed/flow-maintenance.service';
export { FlowTemplateCatalog, type FlowTemplate } from './templates/flow-template.catalog';
export { Flow, FLOW_STATUSES, type FlowStatus } from './persistence/flow.entity';
export { FlowVersion } from './persistence/flow-version.entity';
export { FlowRun, RUN_STATUSES, type RunStatus } from './persistence/flow-run.entity';
export { FlowRunStep } from './persistence/flow-run-step.entity';
export { simulateFlow, type SimulationInput, type SimulationResult } from './simulator/flow-simulator';

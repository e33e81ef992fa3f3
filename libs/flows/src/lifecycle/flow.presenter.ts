import type { Flow } from '../persistence/flow.entity';
import type { FlowRun } from '../persistence/flow-run.entity';
import type { FlowVersion } from '../persistence/flow-version.entity';
import type { RunTimeline } from './flow-run-query.service';
import type { FlowResponseDto, FlowRunResponseDto, FlowRunTimelineResponseDto } from './flow.responses';

export function presentFlow(flow: Flow, version?: FlowVersion, extra: Pick<FlowResponseDto, 'liveRuns' | 'versions' | 'endedRuns' | 'triggerEvents' | 'optIn'> = {}): FlowResponseDto {
  return {
    id: flow.id,
    name: flow.name,
    status: flow.status,
    templateKey: flow.templateKey,
    activeVersion: flow.activeVersion,
    latestVersion: flow.latestVersion,
    /** An edit of an active flow waits here until activate. */
    hasDraftChanges: flow.activeVersion !== null && flow.activeVersion !== flow.latestVersion,
    createdAt: flow.createdAt,
    updatedAt: flow.updatedAt,
    activatedAt: flow.activatedAt,
    archivedAt: flow.archivedAt,
    ...(version && { version: version.version, definition: version.definition }),
    ...extra,
  };
}

export function presentRun(run: FlowRun): FlowRunResponseDto {
  return {
    id: run.id,
    flowId: run.flowId,
    flowVersionId: run.flowVersionId,
    contactId: run.contactId,
    status: run.status,
    stepId: run.stepId,
    wakeAt: run.wakeAt,
    waitKind: run.waitKind,
    correlationKey: run.correlationKey,
    triggerEventId: run.triggerEventId,
    enrolledGroupId: run.enrolledGroupId,
    arms: run.context?.arms ?? {},
    // Who invited the contact (a per-contact opt-in invitation), for the record.
    ...(run.context?.eventType === 'invitation' && { invitation: run.context.event.invitation }),
    exitReason: run.exitReason,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
  };
}

export function presentTimeline({ run, timeline, messages, version }: RunTimeline): FlowRunTimelineResponseDto {
  return {
    ...presentRun(run),
    flowVersion: version,
    timeline: timeline.map((line) => ({
      at: line.at,
      stepId: line.stepId,
      stepType: line.stepType,
      outcome: line.outcome,
      detail: line.detail,
      messageId: line.messageId,
      ...(line.messageId && { message: messages.get(line.messageId) ?? null }),
    })),
  };
}

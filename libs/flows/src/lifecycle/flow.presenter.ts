import type { Flow } from '../persistence/flow.entity';
import type { FlowRun } from '../persistence/flow-run.entity';
import type { FlowVersion } from '../persistence/flow-version.entity';
import type { RunTimeline } from './flow-run-query.service';

export function presentFlow(flow: Flow, version?: FlowVersion, extra: Record<string, unknown> = {}) {
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

export function presentRun(run: FlowRun) {
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

export function presentTimeline({ run, timeline, messages }: RunTimeline) {
  return {
    ...presentRun(run),
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

export const FLOW_EXAMPLE = {
  id: '6c1f3f2e-3c1b-4a57-9b0e-2f1d5a7c9e11',
  name: 'Abandoned cart',
  status: 'active',
  templateKey: 'abandoned-cart',
  activeVersion: 2,
  latestVersion: 2,
  hasDraftChanges: false,
  createdAt: '2026-11-22T08:00:00.000Z',
  updatedAt: '2026-11-22T09:00:00.000Z',
  activatedAt: '2026-11-22T09:00:00.000Z',
  archivedAt: null,
  version: 2,
  definition: {
    name: 'Abandoned cart',
    messageType: 'marketing',
    trigger: { events: ['checkout.updated'], correlationKey: 'checkoutToken' },
    reentry: { mode: 'cooldown', cooldown: 'P7D' },
    exits: [{ event: 'order.created', correlationKey: 'checkoutToken' }],
    steps: [
      { id: 'wait-1h', type: 'wait', duration: 'PT1H' },
      { id: 'nudge-1', type: 'send', template: '{{ workspace.brandName }}: you left something in your cart: {{ event.checkoutUrl }} Reply STOP to opt out.' },
    ],
  },
};

export const RUN_EXAMPLE = {
  id: '1d7e9a40-5c2b-4f0a-8d3e-7b6c5a4f3e21',
  flowId: FLOW_EXAMPLE.id,
  flowVersionId: '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d',
  contactId: '9b2f4c1e-2d1c-4f7e-9a59-0c1b7f6f2a10',
  status: 'waiting',
  stepId: 'wait-24h',
  wakeAt: '2026-11-23T10:00:00.000Z',
  waitKind: 'timer',
  correlationKey: 'c1a2b3',
  triggerEventId: '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f',
  enrolledGroupId: null,
  arms: {},
  exitReason: null,
  startedAt: '2026-11-22T09:00:00.000Z',
  endedAt: null,
};

export const TIMELINE_EXAMPLE = {
  ...RUN_EXAMPLE,
  timeline: [
    { at: '2026-11-22T09:00:00.000Z', stepId: null, stepType: null, outcome: 'enrolled', detail: { event: 'checkout.updated' }, messageId: null },
    { at: '2026-11-22T09:00:00.000Z', stepId: 'wait-1h', stepType: 'wait', outcome: 'waiting', detail: { until: '2026-11-22T10:00:00.000Z' }, messageId: null },
    { at: '2026-11-22T10:00:00.000Z', stepId: 'wait-1h', stepType: 'wait', outcome: 'waited', detail: {}, messageId: null },
    {
      at: '2026-11-22T10:00:00.000Z',
      stepId: 'nudge-1',
      stepType: 'send',
      outcome: 'sent',
      detail: { body: 'Acme Alerts: you left something in your cart: https://acme.test/c/c1a2b3 Reply STOP to opt out.', type: 'marketing' },
      messageId: '5e4d3c2b-1a09-4876-b5a4-93c2d1e0f9a8',
      message: { id: '5e4d3c2b-1a09-4876-b5a4-93c2d1e0f9a8', status: 'delivered', type: 'marketing', body: 'Acme Alerts: …', deferredUntil: null, sentAt: '2026-11-22T10:00:01.000Z', reason: null },
    },
  ],
};

/**
 * The shape of a flow document (JSON over the API, YAML for built-in templates). A version
 * stores one of these, frozen; runs execute the version they started on.
 */

export const FLOW_MESSAGE_TYPES = ['marketing', 'transactional', 'conversational', 'system'] as const;
export type FlowMessageType = (typeof FLOW_MESSAGE_TYPES)[number];

/** Canonical event types a flow can trigger on or exit on (docs/flows.md). */
export const FLOW_EVENT_TYPES = [
  'contact.created',
  'contact.updated',
  'form.submitted',
  'checkout.updated',
  'order.created',
  'order.shipped',
  'order.delivered',
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
  'appointment.completed',
  'deal.stage_changed',
  'lead.created',
  'sms.received',
  'consent.changed',
  'contact.date_reached',
  'customer.lapsed',
  'campaign.scheduled',
] as const;
export type FlowEventType = (typeof FLOW_EVENT_TYPES)[number];

export const STEP_TYPES = [
  'send',
  'wait',
  'waitForReply',
  'branch',
  'split',
  'addToGroup',
  'removeFromGroup',
  'setConsent',
  'setAttribute',
  'webhook',
  'exit',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** Which compliance rule lets a `system` message through the gateway (mirrors the gateway's kinds). */
export const SYSTEM_KINDS = ['opt_in_request', 'opt_in_confirmation', 'stop_confirmation', 'start_confirmation', 'help'] as const;
export type SystemKind = (typeof SYSTEM_KINDS)[number];

export const REENTRY_MODES = ['never', 'always', 'cooldown'] as const;
export type ReentryMode = (typeof REENTRY_MODES)[number];

export const REPLY_KINDS = ['yes', 'no', 'stop', 'keyword', 'any'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

export const CONSENT_TYPES = ['marketing', 'transactional', 'conversational'] as const;
export type FlowConsentType = (typeof CONSENT_TYPES)[number];
export const SET_CONSENT_STATES = ['opted_in', 'opted_out', 'pending'] as const;
export type SetConsentState = (typeof SET_CONSENT_STATES)[number];

/** Symbolic group targets; anything else is a group id. */
export const SYMBOLIC_GROUPS = ['opted_in', 'opted_out', 'enrolled'] as const;

/** A JSON-Logic rule (https://jsonlogic.com) evaluated over `{ contact, consent, event }`. */
export type JsonLogicRule = Record<string, unknown>;

export interface FlowTrigger {
  /** Events that start a run. Empty: the flow is started only through POST /v1/flows/:id/enroll. */
  events: FlowEventType[];
  /** JSON-Logic over `{ event, contact, consent }`; the run starts only when it is truthy. */
  filter?: JsonLogicRule;
  /** Name of the event's correlation field that identifies the run (e.g. `checkoutToken`). */
  correlationKey?: string;
  /** For `contact.date_reached`: the contact attribute holding the date (e.g. `birthday`). */
  dateAttribute?: string;
  /** For `customer.lapsed`: days since `attributes.lastOrderAt` after which a customer is lapsed. */
  lapsedDays?: number;
}

export interface FlowReentry {
  mode: ReentryMode;
  /** ISO-8601 duration, for mode `cooldown`: no new run within this time of the previous start. */
  cooldown?: string;
}

export interface FlowExit {
  event: FlowEventType;
  /** Correlation field compared with the run's; omitted: any such event of the run's contact. */
  correlationKey?: string;
}

interface StepBase<T extends StepType> {
  id: string;
  type: T;
  /** Free text shown in the editor and the timeline. */
  name?: string;
  /** The following step; defaults to the next one in the list; the run completes after the last. */
  next?: string;
}

export interface SendStep extends StepBase<'send'> {
  /** Liquid template over `contact`, `event`, `workspace`, `run`, `flow`, `reply`. */
  template: string;
  /** Overrides the flow's message type (an opt-in request is `system`). */
  messageType?: FlowMessageType;
  /** Required when the message type is `system`: the rule that allows it (e.g. `opt_in_request`). */
  systemKind?: SystemKind;
}
export interface WaitStep extends StepBase<'wait'> {
  /** ISO-8601 duration, e.g. `PT1H` (with `until`: the fallback when the event lacks the field). */
  duration?: string;
  /** An instant relative to an event field, e.g. `event.startsAt - PT24H`. */
  until?: string;
  /** Where to go when `until` is already past (default: carry on with `next`). */
  ifPast?: string;
}
export interface ReplyRoute {
  reply: ReplyKind;
  /** For `keyword`: the word, matched case-insensitively on the whole trimmed reply. */
  keyword?: string;
  next: string;
}
export interface WaitForReplyStep extends StepBase<'waitForReply'> {
  timeout: string;
  onTimeout: string;
  routes: ReplyRoute[];
}
export interface BranchStep extends StepBase<'branch'> {
  condition: JsonLogicRule;
  then: string;
  else: string;
}
export interface SplitArm {
  name: string;
  percent: number;
  next: string;
}
export interface SplitStep extends StepBase<'split'> {
  arms: SplitArm[];
}
/** `group`: a group id, or `opted_in` / `opted_out` (system groups) / `enrolled` (the group the run was enrolled from). */
export interface AddToGroupStep extends StepBase<'addToGroup'> {
  group: string;
}
export interface RemoveFromGroupStep extends StepBase<'removeFromGroup'> {
  group: string;
}
export type GroupStep = AddToGroupStep | RemoveFromGroupStep;
export interface SetConsentStep extends StepBase<'setConsent'> {
  state: SetConsentState;
  types: FlowConsentType[];
}
export interface SetAttributeStep extends StepBase<'setAttribute'> {
  attribute: string;
  /** A string is a Liquid template; numbers, booleans and null are stored as they are. */
  value: string | number | boolean | null;
}
export interface WebhookStep extends StepBase<'webhook'> {
  url: string;
}
export interface ExitStep extends StepBase<'exit'> {
  reason?: string;
}

export type FlowStep =
  | SendStep
  | WaitStep
  | WaitForReplyStep
  | BranchStep
  | SplitStep
  | AddToGroupStep
  | RemoveFromGroupStep
  | SetConsentStep
  | SetAttributeStep
  | WebhookStep
  | ExitStep;

/**
 * What the flow is for, in the words of whoever runs it (seed 003: a purpose, an audience, a
 * trigger, a message and a success metric; the trigger is the document's own). Shown in the
 * template gallery and the builder; the runner never reads it.
 */
export interface FlowBrief {
  purpose: string;
  audience: string;
  /** The message in plain words (the Liquid is on the send steps). */
  message: string;
  successMetric: string;
}

export interface FlowDefinition {
  name: string;
  description?: string;
  brief?: FlowBrief;
  messageType: FlowMessageType;
  trigger: FlowTrigger;
  reentry: FlowReentry;
  exits?: FlowExit[];
  steps: FlowStep[];
}

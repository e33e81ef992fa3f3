import type { FlowConsentType, FlowDefinition, FlowMessageType, FlowStep, SetConsentState, SystemKind } from '../../definition/flow-definition';
import type { InboundReply } from '../../logic/reply-match';

/** A contact as steps see it (templates, conditions). */
export interface ContactView {
  id: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  email: string | null;
  timeZone: string | null;
  attributes: Record<string, unknown>;
}

export interface WorkspaceView {
  id: string;
  name: string;
  brandName: string;
  supportEmail: string | null;
  supportPhone: string | null;
  supportUrl: string | null;
  timeZone: string;
}

export interface SendEffect {
  idempotencyKey: string;
  type: FlowMessageType;
  body: string;
  stepId: string;
  systemKind: SystemKind | null;
  /** The branded links `body` carries, from the collector of `linkCollector()`. */
  links?: { code: string; url: string }[];
}

/** Collects the links one body makes with `| link`; the sink answers the URL to print. */
export interface LinkCollector {
  sink?: (url: string) => string;
  links: { code: string; url: string }[];
}

/**
 * What steps do to the world. The runner's implementation calls the gateway, groups, consent
 * and contacts; the simulator's records the calls. Steps are the same code in both, which is
 * what makes a simulation's timeline the real run's.
 */
export interface StepEffects {
  /** Returns the message id, and when it is expected to leave (quiet hours), when known. */
  send(effect: SendEffect): Promise<{ messageId: string | null; sendAt: Date | null; status?: string }>;
  /** A fresh link collector for one message body (live runs brand links; the simulator prints URLs). */
  linkCollector(): LinkCollector;
  /** The signed link to the contact's preference page (`preference_url` in templates). */
  preferenceUrl(): string;
  /** `followsConsent`: a system group (Opted-In/Opted-Out), whose members follow consent and are not changed by hand. */
  addToGroup(group: string): Promise<GroupEffectResult>;
  removeFromGroup(group: string): Promise<GroupEffectResult>;
  setConsent(state: SetConsentState, types: FlowConsentType[], stepId: string): Promise<void>;
  setAttribute(attribute: string, value: unknown): Promise<void>;
  webhook(url: string, body: Record<string, unknown>, stepId: string): Promise<{ status: number | null; error?: string }>;
  /** Whether the contact is in each segment now (`inSegment` in a branch condition), by segment id. */
  segments(segmentIds: string[]): Promise<Record<string, boolean>>;
}

export interface GroupEffectResult {
  groupId: string | null;
  followsConsent?: boolean;
}

/** Set when the run was suspended on this step and is being woken. */
export interface ResumeInfo {
  /** The instant the run was to wake up (timer or reply timeout). */
  wakeAt: Date;
  /** A reply that arrived while waiting (waitForReply only). */
  reply: (InboundReply & { messageId: string | null; at: Date }) | null;
}

export interface StepContext {
  workspace: WorkspaceView;
  flowId: string;
  flowName: string;
  definition: FlowDefinition;
  runId: string;
  runStartedAt: Date;
  /** Split arms chosen so far, by step id; executors add to it. */
  arms: Record<string, string>;
  enrolledGroupId: string | null;
  contact: ContactView;
  /** Consent by message type (none | pending | opted_in | opted_out); executors update it. */
  consent: Record<string, string>;
  /** The run's event data (`event.*` in templates and conditions). */
  event: Record<string, unknown>;
  /** The latest reply matched by a waitForReply, for `reply.*` in later templates. */
  lastReply: InboundReply | null;
  /** The recipient's zone (contact, else workspace). */
  zone: string;
  now: Date;
  resume: ResumeInfo | null;
  effects: StepEffects;
}

/** What happened at a step, as it appears on the run's timeline. */
export interface StepRecord {
  /** A short verb: sent, waiting, waited, skipped, branched, replied, timed_out, added, ... */
  outcome: string;
  detail?: Record<string, unknown>;
  messageId?: string | null;
}

export type StepResult =
  /** Go on to `next` (null: the run completes). */
  | ({ kind: 'next'; next: string | null } & StepRecord)
  /** Stay on this step until `wakeAt` (a timer, or a reply with a timeout). */
  | ({ kind: 'suspend'; wakeAt: Date; waitKind: 'timer' | 'reply' } & StepRecord)
  /** End the run here. */
  | ({ kind: 'exit'; reason: string } & StepRecord);

/** One class per step type; stateless, so one instance serves every run. */
export interface StepExecutor<S extends FlowStep = FlowStep> {
  readonly type: S['type'];
  execute(step: S, ctx: StepContext): Promise<StepResult>;
}

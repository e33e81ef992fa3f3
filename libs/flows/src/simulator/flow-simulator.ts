import type { FlowDefinition, FlowMessageType } from '../definition/flow-definition';
import type { InboundReply } from '../logic/reply-match';
import { executeStep, ContactView, ResumeInfo, StepContext, StepEffects, WorkspaceView } from '../runner/executors';

export interface SimulatedReply extends InboundReply {
  at: Date;
}

export interface SimulatedEvent {
  at: Date;
  type: string;
  correlation: Record<string, string>;
}

export interface SimulationInput {
  flowId: string;
  definition: FlowDefinition;
  workspace: WorkspaceView;
  contact: ContactView;
  consent: Record<string, string>;
  event: Record<string, unknown>;
  correlation: Record<string, string>;
  startAt: Date;
  replies?: SimulatedReply[];
  /** Later events; one matching an exit condition ends the run when it arrives. */
  events?: SimulatedEvent[];
  enrolledGroupId?: string | null;
  /** When a message of this type submitted at `at` would leave (quiet hours). */
  sendTimeOf: (at: Date, type: FlowMessageType, zone: string) => Date;
  runId?: string;
  /** What `preference_url` prints (the real contact's link when the simulation is for one). */
  preferenceUrl?: string;
  /** Segment membership `inSegment` conditions read, by segment id (absent: not a member). */
  segments?: Record<string, boolean>;
  /** The recipient's zone as live runs resolve it (contact, phone, workspace); default contact else workspace. */
  zone?: string;
}

export interface SimulationEntry {
  at: string;
  stepId: string | null;
  stepType: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}

export interface SimulatedMessage {
  stepId: string;
  type: FlowMessageType;
  body: string;
  /** When the step ran (the message was submitted). */
  submittedAt: string;
  /** When it would leave, quiet hours applied. */
  sendAt: string;
}

export interface SimulationResult {
  status: 'completed' | 'exited' | 'waiting';
  endedAt: string | null;
  timeline: SimulationEntry[];
  messages: SimulatedMessage[];
  arms: Record<string, string>;
}

const MAX_STEPS = 500;

/** Virtual effects: nothing leaves, every call is recorded. */
class RecordingEffects implements StepEffects {
  readonly messages: SimulatedMessage[] = [];

  constructor(
    private readonly input: SimulationInput,
    private readonly clock: () => Date,
    private readonly zone: string,
  ) {}

  async send(effect: { type: FlowMessageType; body: string; stepId: string }) {
    const now = this.clock();
    const sendAt = this.input.sendTimeOf(now, effect.type, this.zone);
    this.messages.push({ stepId: effect.stepId, type: effect.type, body: effect.body, submittedAt: now.toISOString(), sendAt: sendAt.toISOString() });
    return { messageId: null, sendAt, status: 'simulated' };
  }
  linkCollector() {
    // The simulator sends nothing, so it makes no links: templates print the URL itself.
    return { links: [] };
  }
  preferenceUrl() {
    // A simulated contact has no signed link; the preview shows where it would go.
    return this.input.preferenceUrl ?? 'https://hub.example/p/preview';
  }
  async addToGroup(group: string) {
    return this.group(group);
  }
  async removeFromGroup(group: string) {
    return this.group(group);
  }
  private group(group: string) {
    if (group === 'opted_in' || group === 'opted_out') return { groupId: group, followsConsent: true };
    return { groupId: group === 'enrolled' ? (this.input.enrolledGroupId ?? null) : group };
  }
  async setConsent() {}
  async setAttribute() {}
  async webhook() {
    return { status: 200 };
  }
  async segments(segmentIds: string[]) {
    return Object.fromEntries(segmentIds.map((id) => [id, this.input.segments?.[id] === true]));
  }
}

function exitMatches(definition: FlowDefinition, event: SimulatedEvent, correlation: Record<string, string>): boolean {
  return (definition.exits ?? []).some(
    (exit) => exit.event === event.type && (exit.correlationKey === undefined || (event.correlation[exit.correlationKey] !== undefined && event.correlation[exit.correlationKey] === correlation[exit.correlationKey])),
  );
}

/**
 * Runs a flow on a virtual clock with the runner's own step executors and recording effects,
 * returning the timeline: each step, each rendered message with its send time (quiet hours
 * applied), each wait, branch and exit. Pure apart from the clock it is given.
 */
export async function simulateFlow(input: SimulationInput): Promise<SimulationResult> {
  const definition = input.definition;
  const zone = input.zone ?? input.contact.timeZone ?? input.workspace.timeZone;
  let now = input.startAt;
  const effects = new RecordingEffects(input, () => now, zone);
  const timeline: SimulationEntry[] = [];
  const replies = [...(input.replies ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime());
  const events = [...(input.events ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime());
  const stepById = new Map(definition.steps.map((s) => [s.id, s] as const));

  const ctx: StepContext = {
    workspace: input.workspace,
    flowId: input.flowId,
    flowName: definition.name,
    definition,
    runId: input.runId ?? 'simulation',
    runStartedAt: input.startAt,
    arms: {},
    enrolledGroupId: input.enrolledGroupId ?? null,
    contact: { ...input.contact, attributes: { ...input.contact.attributes } },
    consent: { ...input.consent },
    event: input.event,
    lastReply: null,
    zone,
    now,
    resume: null,
    effects,
  };
  const record = (stepId: string | null, outcome: string, detail: Record<string, unknown> = {}) =>
    timeline.push({ at: now.toISOString(), stepId, stepType: stepId ? (stepById.get(stepId)?.type ?? null) : null, outcome, detail });

  record(null, 'enrolled', { event: input.event });
  let stepId: string | null = definition.steps[0]?.id ?? null;
  let resume: ResumeInfo | null = null;

  for (let i = 0; i < MAX_STEPS; i++) {
    if (stepId === null) {
      record(null, 'completed');
      return { status: 'completed', endedAt: now.toISOString(), timeline, messages: effects.messages, arms: ctx.arms };
    }
    const step = stepById.get(stepId)!;
    ctx.now = now;
    ctx.resume = resume;
    const result = await executeStep(step, ctx);
    record(step.id, result.outcome, { ...(result.detail ?? {}) });

    if (result.kind === 'exit') {
      // An exit step ends the run as planned (completed, with its reason), as in live runs.
      record(null, 'completed', { reason: result.reason });
      return { status: 'completed', endedAt: now.toISOString(), timeline, messages: effects.messages, arms: ctx.arms };
    }
    if (result.kind === 'next') {
      stepId = result.next;
      resume = null;
      continue;
    }
    // Suspended: the next thing to happen is an exit event, a reply (when waiting for one) or the wake-up.
    const wakeAt = result.wakeAt;
    const exitEvent = events.find((e) => e.at.getTime() >= now.getTime() && e.at.getTime() <= wakeAt.getTime() && exitMatches(definition, e, input.correlation));
    const replyIndex = result.waitKind === 'reply' ? replies.findIndex((r) => r.at.getTime() > now.getTime() - 1 && r.at.getTime() <= wakeAt.getTime()) : -1;
    const reply = replyIndex >= 0 ? replies[replyIndex] : null;
    if (exitEvent && (!reply || exitEvent.at.getTime() <= reply.at.getTime())) {
      now = exitEvent.at;
      record(null, 'exited', { reason: `exit event ${exitEvent.type}`, event: exitEvent.type });
      return { status: 'exited', endedAt: now.toISOString(), timeline, messages: effects.messages, arms: ctx.arms };
    }
    if (reply) {
      replies.splice(replyIndex, 1);
      now = reply.at;
      resume = { wakeAt, reply: { body: reply.body, keyword: reply.keyword, messageId: null, at: reply.at } };
    } else {
      now = wakeAt;
      resume = { wakeAt, reply: null };
    }
  }
  return { status: 'waiting', endedAt: null, timeline, messages: effects.messages, arms: ctx.arms };
}

import { createHash } from 'node:crypto';

/**
 * Every queue and job of the hub, with its payload type and its deterministic job id.
 * Jobs only say "look at row X (at time T)": Postgres holds the truth (law 3), so a payload is a
 * few ids, never the data itself.
 */
export const QUEUES = {
  events: 'events',
  flowSteps: 'flow-steps',
  sends: 'sends',
  imports: 'imports',
  pluginTasks: 'plugin-tasks',
  maintenance: 'maintenance',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /** Dispatch one stored trigger event to flows (enrol, exit). */
  'event.dispatch': { workspaceId: string; triggerEventId: string };
  /** The same for the events one group commit stored together (a burst of webhooks): one job, dispatched as one batch. */
  'event.dispatch-batch': { workspaceId: string; triggerEventIds: string[] };
  /** Execute (or resume) the current step of one flow run. */
  'flow.step': { workspaceId: string; runId: string; stepId: string };
  /**
   * The first step of the runs one enrolment started together (a campaign page): every live run
   * of the flow started at `startedAt` (ISO) and still on `stepId`. Derived from the rows, so the
   * reconciler can name it too.
   */
  'flow.step-batch': { workspaceId: string; flowId: string; startedAt: string; stepId: string };
  /** Run the send-time policies for one queued message and hand it to the provider. */
  'sms.send': { workspaceId: string; messageId: string };
  /** The same for many messages of one workspace submitted together (a campaign page, a flow batch): one job, a few statements. */
  'sms.send-batch': { workspaceId: string; messageIds: string[] };
  /** Read one uploaded CSV into contacts. */
  'contacts.import': { workspaceId: string; importId: string };
  /** Tell a plugin's remote system about a consent change (write-back). */
  'plugin.consent-writeback': { workspaceId: string; installationId: string; consentEventId: string };
  /** Periodic housekeeping: re-arm due work from Postgres, renew channels, emit dated events. */
  'maintenance.tick': { task: string };
  /** Google Calendar: list one watched calendar's changes (after a push notification, periodically, or in full) and announce them. */
  'google-calendar.sync': { workspaceId: string; installationId: string; calendarId: string; full: boolean };
  /** Google Calendar: renew watch channels before they expire, queue periodic syncs, prune old appointments. */
  'google-calendar.maintain': { scope: 'all' };
  /** POST one outbound event webhook delivery (a row of webhook_delivery) to its endpoint: one attempt. */
  'webhook.deliver': { workspaceId: string; deliveryId: string };
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'event.dispatch': QUEUES.events,
  'event.dispatch-batch': QUEUES.events,
  'flow.step': QUEUES.flowSteps,
  'flow.step-batch': QUEUES.flowSteps,
  'sms.send': QUEUES.sends,
  'sms.send-batch': QUEUES.sends,
  'contacts.import': QUEUES.imports,
  'plugin.consent-writeback': QUEUES.pluginTasks,
  'maintenance.tick': QUEUES.maintenance,
  'google-calendar.sync': QUEUES.pluginTasks,
  'google-calendar.maintain': QUEUES.maintenance,
  'webhook.deliver': QUEUES.webhooks,
};

/** A short stable name for a set of ids (a batch job's id). */
export function idsDigest(ids: string[]): string {
  return createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 24);
}

/** The most rows one batch job names. */
export const MAX_BATCH_JOB_IDS = 500;

/**
 * Deterministic job ids: enqueueing the same work twice while the first is waiting is a no-op in
 * Bull. `attempt` distinguishes deliberate re-arms (a deferral, a wake-up at a later time).
 */
export const JOB_IDS: { [N in JobName]: (payload: JobPayloads[N], attempt?: string | number) => string } = {
  'event.dispatch': (p, attempt) => `event.dispatch:${p.triggerEventId}${attempt === undefined ? '' : `:${attempt}`}`,
  'event.dispatch-batch': (p, attempt) => `event.dispatch-batch:${idsDigest(p.triggerEventIds)}${attempt === undefined ? '' : `:${attempt}`}`,
  'flow.step': (p, attempt) => `flow.step:${p.runId}:${p.stepId}${attempt === undefined ? '' : `:${attempt}`}`,
  'flow.step-batch': (p, attempt) => `flow.step-batch:${p.flowId}:${Date.parse(p.startedAt)}:${p.stepId}${attempt === undefined ? '' : `:${attempt}`}`,
  'sms.send': (p, attempt) => `sms.send:${p.messageId}${attempt === undefined ? '' : `:${attempt}`}`,
  'sms.send-batch': (p, attempt) => `sms.send-batch:${idsDigest(p.messageIds)}${attempt === undefined ? '' : `:${attempt}`}`,
  'contacts.import': (p) => `contacts.import:${p.importId}`,
  'plugin.consent-writeback': (p) => `plugin.consent-writeback:${p.installationId}:${p.consentEventId}`,
  'maintenance.tick': (p, attempt) => `maintenance.tick:${p.task}:${attempt ?? 'now'}`,
  // attempt: `${channelId}:${messageNumber}` for a notification (Google's redelivery is a no-op), `periodic:<slot>`, `initial:<uuid>`.
  'google-calendar.sync': (p, attempt) => `google-calendar.sync:${p.installationId}:${p.calendarId}:${attempt ?? 'now'}`,
  'google-calendar.maintain': (p, attempt) => `google-calendar.maintain:${p.scope}:${attempt ?? 'now'}`,
  // attempt: the delivery's attempt number (its retry schedule), or `replay:<ms>` for a replay asked for by hand.
  'webhook.deliver': (p, attempt) => `webhook.deliver:${p.deliveryId}:${attempt ?? 1}`,
};

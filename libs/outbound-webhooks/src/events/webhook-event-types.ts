/**
 * The events a workspace can subscribe a URL to: the public names receivers switch on, each
 * with the sentence the console and docs show. A test event (`webhook.test`) is sent only by
 * "Send test" and cannot be subscribed to.
 */
export const WEBHOOK_EVENT_TYPES = {
  'consent.changed': 'A consent ledger entry was recorded: someone opted in or out of a message type (any source: keyword, form, import, API).',
  'message.status_changed': 'An outbound text moved to a new status: sent, delivered, undelivered, failed, blocked or deferred.',
  'message.received': 'An inbound text arrived (after keyword handling), with its body.',
  'flow_run.ended': 'A flow run ended: completed, exited (an exit event) or failed.',
  'contact_import.ended': 'A contact import finished reading its file, or failed.',
  'campaign.ended': 'A campaign finished sending, or was cancelled.',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;
export const WEBHOOK_EVENT_TYPE_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventType[];

export const TEST_EVENT_TYPE = 'webhook.test';

/** What a delivery's body holds: `{ type, timestamp, workspaceId, data }` (the Standard Webhooks payload shape). */
export interface WebhookPayload {
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  workspaceId: string;
  data: Record<string, unknown>;
}

/** An event ready to fan out: its type, a key naming it (same event twice → one delivery per endpoint), and its payload. */
export interface OutboundEvent {
  type: WebhookEventType;
  key: string;
  payload: WebhookPayload;
}

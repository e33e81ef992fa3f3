import type { Message } from '@optline/messaging';
import type { ConversationEntry } from './conversation-entry.entity';

/** One timeline item as the API and the stream show it. */
export interface EntryView {
  id: string;
  conversationId: string;
  direction: ConversationEntry['direction'];
  role: ConversationEntry['role'];
  /** null while a client's text is held for YES (the agent sees it once they opt in). */
  body: string | null;
  /** The message's status (held, queued, sent, delivered, blocked, received...), or null for a notice. */
  status: string | null;
  reason: string | null;
  held: boolean;
  blocked: boolean;
  noticeCode: string | null;
  senderName: string | null;
  agentId: string | null;
  messageId: string | null;
  /** A reply a flow waiting for it took; it still shows here. */
  consumedByFlow: boolean;
  flowRunId: string | null;
  createdAt: Date;
}

export function presentEntry(entry: ConversationEntry, message: Message | null | undefined): EntryView {
  let body = entry.body;
  let status: string | null = null;
  let reason: string | null = null;
  if (entry.outbox === 'held') {
    status = 'held';
    reason = 'awaiting_opt_in';
  } else if (message) {
    status = message.status;
    reason = message.reason;
    body = entry.direction === 'inbound' && message.status === 'held' ? null : (entry.body ?? message.body);
  } else if (entry.messageId) {
    status = 'unknown';
  }
  return {
    id: entry.id,
    conversationId: entry.conversationId,
    direction: entry.direction,
    role: entry.role,
    body,
    status,
    reason,
    held: status === 'held',
    blocked: status === 'blocked',
    noticeCode: entry.noticeCode,
    senderName: entry.senderName,
    agentId: entry.agentId,
    messageId: entry.messageId,
    consumedByFlow: entry.consumedByFlowRunId !== null,
    flowRunId: entry.consumedByFlowRunId,
    createdAt: entry.createdAt,
  };
}

/** What the inbox shows as the last message. */
export function previewOf(view: Pick<EntryView, 'body' | 'held' | 'direction'>): string | null {
  if (view.body === null) return view.held ? '(message held until the contact opts in)' : null;
  return view.body.length > 160 ? `${view.body.slice(0, 157)}...` : view.body;
}

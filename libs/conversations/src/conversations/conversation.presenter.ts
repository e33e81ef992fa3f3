import type { ConversationSummary } from './conversation.service';
import type { EntryView } from './entry.presenter';

export function presentConversation(summary: ConversationSummary) {
  const { conversation, contact, agent, consent } = summary;
  return {
    id: conversation.id,
    contact: contact ? { id: contact.id, phone: contact.phone, firstName: contact.firstName, lastName: contact.lastName } : { id: conversation.contactId },
    agent: agent ? { id: agent.id, displayName: agent.displayName } : null,
    team: conversation.agentId === null,
    consent: { conversational: consent?.conversational ?? 'none', marketing: consent?.marketing ?? 'none', transactional: consent?.transactional ?? 'none' },
    awaitingOptIn: conversation.optInRequestedAt !== null,
    lastMessage: conversation.lastDirection ? { direction: conversation.lastDirection, preview: conversation.lastPreview, at: conversation.lastActivityAt } : null,
    unreadCount: conversation.unreadCount,
    lastReadAt: conversation.lastReadAt,
    createdAt: conversation.createdAt,
  };
}

export const CONVERSATION_EXAMPLE = {
  id: '0b6e3c2a-91d4-4f3e-8a77-1c2d3e4f5a6b',
  contact: { id: '7f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f', phone: '+14155550123', firstName: 'Sam', lastName: null },
  agent: { id: '5d7c9a10-3f1e-4c39-9a55-0c7d2b7e8f11', displayName: 'Dana Reyes' },
  team: false,
  consent: { conversational: 'pending', marketing: 'none', transactional: 'none' },
  awaitingOptIn: true,
  lastMessage: {
    direction: 'notice',
    preview: '[Automated Message]: Your contact has been sent a request to Opt-in. Once they accept, you will be able to message with your contact.',
    at: '2026-11-22T09:00:00.000Z',
  },
  unreadCount: 0,
  lastReadAt: null,
  createdAt: '2026-11-22T09:00:00.000Z',
};

export const ENTRY_EXAMPLE: EntryView = {
  id: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5f7a',
  conversationId: '0b6e3c2a-91d4-4f3e-8a77-1c2d3e4f5a6b',
  direction: 'outbound',
  role: 'agent',
  body: 'Hi Sam, your glasses are ready for pick-up.',
  status: 'held',
  reason: 'awaiting_opt_in',
  held: true,
  blocked: false,
  noticeCode: null,
  senderName: 'Dana Reyes',
  agentId: '5d7c9a10-3f1e-4c39-9a55-0c7d2b7e8f11',
  messageId: null,
  consumedByFlow: false,
  flowRunId: null,
  createdAt: new Date('2026-11-22T09:00:00.000Z'),
};

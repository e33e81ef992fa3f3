import type { ConversationSummary } from './conversation.service';
import type { ConversationResponseDto } from './conversation.responses';

export function presentConversation(summary: ConversationSummary): ConversationResponseDto {
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

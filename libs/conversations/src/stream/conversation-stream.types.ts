/** What the inbox stream tells a client; `data` is the same JSON the REST API answers. */
export type ConversationStreamEventType = 'entry.created' | 'entry.updated' | 'conversation.updated' | 'conversation.assigned' | 'conversation.read';

export interface ConversationStreamEvent {
  type: ConversationStreamEventType;
  workspaceId: string;
  conversationId: string;
  /** The conversation's owner when this happened (null = team inbox): decides who receives it. */
  agentId: string | null;
  /** On assignment: the previous owner, who is told the conversation left their inbox. */
  previousAgentId?: string | null;
  at: string;
  data: Record<string, unknown>;
}

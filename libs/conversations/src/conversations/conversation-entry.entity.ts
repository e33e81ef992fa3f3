import { Workspace } from '@optline/core';
import { Message } from '@optline/messaging';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { Conversation, EntryDirection } from './conversation.entity';

/**
 * Where a text stands with respect to the opt-in (docs/decisions/0132): `held` waits for YES —
 * an agent's text in this conversation's outbox, or a client's text the messaging library holds —
 * `submitted` went to the gateway (the message row then tells its fate), `dropped` was refused
 * after STOP (its message is `blocked`).
 */
export type OutboxState = 'held' | 'submitted' | 'dropped';

/** What an automatic entry is. */
export type EntryRole = 'agent' | 'client' | 'opt_in_request' | 'disclaimer' | 'keyword_reply' | 'notice' | 'other';

/**
 * One item of a conversation's timeline: a message (in or out, the `message` row is the truth
 * for its text and status) or a notice to staff. An agent's text held for YES lives here alone
 * until it is submitted.
 */
@Entity({ name: 'conversation_entry' })
@Index('IDX_conversation_entry_conversation_created', ['conversationId', 'createdAt'])
@Index('UQ_conversation_entry_message', ['workspaceId', 'messageId'], { unique: true, where: '"message_id" IS NOT NULL' })
@Index('UQ_conversation_entry_client_key', ['conversationId', 'clientKey'], { unique: true, where: '"client_key" IS NOT NULL' })
@Check('CHK_conversation_entry_direction', `"direction" IN ('inbound', 'outbound', 'notice')`)
@Check('CHK_conversation_entry_outbox', `"outbox" IS NULL OR "outbox" IN ('held', 'submitted', 'dropped')`)
@Check('CHK_conversation_entry_role', `"role" IN ('agent', 'client', 'opt_in_request', 'disclaimer', 'keyword_reply', 'notice', 'other')`)
export class ConversationEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Insertion order: breaks ties between entries of the same instant (one act writes several). */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  seq: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_conversation_entry_workspace' })
  workspace?: Workspace;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'FK_conversation_entry_conversation' })
  conversation?: Conversation;

  @Column({ type: 'text' })
  direction: EntryDirection;

  @Column({ type: 'text' })
  role: EntryRole;

  /** The SMS, once there is one. */
  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId: string | null;

  @ManyToOne(() => Message, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'FK_conversation_entry_message' })
  message?: Message;

  /** Notices and not-yet-submitted agent texts; message-backed entries read the message's text. */
  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** A notice's stable code: opt_in_requested, contact_attempted, opted_in, opted_out. */
  @Column({ name: 'notice_code', type: 'text', nullable: true })
  noticeCode: string | null;

  @Column({ type: 'text', nullable: true })
  outbox: OutboxState | null;

  /** Who wrote it (agent texts). */
  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId: string | null;

  @ManyToOne(() => Agent, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'FK_conversation_entry_agent' })
  agent?: Agent;

  /** The name the text went out under (kept: an agent may be renamed or removed later). */
  @Column({ name: 'sender_name', type: 'text', nullable: true })
  senderName: string | null;

  /** The caller's Idempotency-Key for an agent text. */
  @Column({ name: 'client_key', type: 'text', nullable: true })
  clientKey: string | null;

  /** An inbound reply a flow run waiting for it took (docs/decisions/0134). */
  @Column({ name: 'consumed_by_flow_run_id', type: 'uuid', nullable: true })
  consumedByFlowRunId: string | null;

  /** Hub-clock time the entry happened (an agent text: when it was written, even if sent later). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

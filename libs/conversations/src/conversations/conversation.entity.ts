import { Contact } from '@optline/contacts';
import { Workspace } from '@optline/core';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Agent } from '../agents/agent.entity';

export type EntryDirection = 'inbound' | 'outbound' | 'notice';

/**
 * One contact's thread with the workspace: owned by one agent, or by the shared team inbox
 * (`agentId` null). One per contact, because a contact texts one workspace number and every
 * reply must land in exactly one place (docs/decisions/0131).
 */
@Entity({ name: 'conversation' })
@Index('UQ_conversation_workspace_contact', ['workspaceId', 'contactId'], { unique: true })
@Index('IDX_conversation_workspace_activity', ['workspaceId', 'lastActivityAt'])
@Index('IDX_conversation_workspace_agent_activity', ['workspaceId', 'agentId', 'lastActivityAt'])
@Check('CHK_conversation_last_direction', `"last_direction" IS NULL OR "last_direction" IN ('inbound', 'outbound', 'notice')`)
export class Conversation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_conversation_workspace' })
  workspace?: Workspace;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_conversation_contact' })
  contact?: Contact;

  /** The owning agent; null = the team inbox. */
  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId: string | null;

  @ManyToOne(() => Agent, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'agent_id', foreignKeyConstraintName: 'FK_conversation_agent' })
  agent?: Agent;

  /** Hub-clock time of the last entry (message or notice): the inbox sort key. */
  @Column({ name: 'last_activity_at', type: 'timestamptz' })
  lastActivityAt: Date;

  /** The last entry's text as the inbox shows it (null while a held inbound text is hidden). */
  @Column({ name: 'last_preview', type: 'text', nullable: true })
  lastPreview: string | null;

  @Column({ name: 'last_direction', type: 'text', nullable: true })
  lastDirection: EntryDirection | null;

  /** Inbound texts the agent has not read (held texts count once released). */
  @Column({ name: 'unread_count', type: 'integer', default: 0 })
  unreadCount: number;

  @Column({ name: 'last_read_at', type: 'timestamptz', nullable: true })
  lastReadAt: Date | null;

  /** When this conversation last asked the contact for YES (consent mode); cleared by YES, STOP or START. */
  @Column({ name: 'opt_in_requested_at', type: 'timestamptz', nullable: true })
  optInRequestedAt: Date | null;

  /** Disclaimer mode: whom the last disclaimer named (an agent id, or "team"); null = none sent yet. */
  @Column({ name: 'disclosed_as', type: 'text', nullable: true })
  disclosedAs: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

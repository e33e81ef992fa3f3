import type { ConsentMessageType } from '@optline/consent';
import { Contact } from '@optline/contacts';
import { Workspace } from '@optline/core';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SmsEncoding } from '../segments/segments';

export type MessageType = ConsentMessageType | 'system';
export const MESSAGE_TYPES: MessageType[] = ['marketing', 'transactional', 'conversational', 'system'];

export type MessageDirection = 'outbound' | 'inbound';

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'blocked', 'deferred', 'received', 'held'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What a `system` message is for; each kind has its own consent rule (docs/compliance.md). */
export type SystemMessageKind = 'stop_confirmation' | 'help' | 'start_confirmation' | 'opt_in_confirmation' | 'opt_in_request';
export const SYSTEM_MESSAGE_KINDS: SystemMessageKind[] = ['stop_confirmation', 'help', 'start_confirmation', 'opt_in_confirmation', 'opt_in_request'];

/** Where a message came from, so a flow run, a campaign or a conversation can find its messages. */
export interface MessageOrigin {
  flowRunId?: string;
  stepId?: string;
  campaignId?: string;
  conversationId?: string;
  /** Inbound: the keyword family the text was read as. Outbound system: the keyword answered. */
  keyword?: string;
  /** Outbound system messages: which rule lets them through. */
  systemKind?: SystemMessageKind;
  /** A reply: the inbound message it answers. */
  inReplyTo?: string;
  /** Who asked for it through the API: the key, or the person signed in to the console. */
  apiKeyId?: string;
  userId?: string;
  /** Tracing on: the W3C traceparent its hand-off span continues (its flow run's, or its request's). */
  trace?: string;
  /** Inbound: the classifier flagged the text for a human (a keyword inside a sentence). */
  flagForReview?: boolean;
  /** System replies: which of the workspace's texts was used (docs/messaging.md "System texts"). */
  textKey?: string;
  /**
   * An opt-in request sent because the person wrote after opting out (seed 004): only their
   * YES to it opts them in again, to conversational texts (docs/decisions/0166).
   */
  reoptIn?: boolean;
}

/** One policy's answer, kept on the message so the log explains every decision. */
export interface PolicyTraceEntry {
  policy: string;
  outcome: 'pass' | 'block' | 'defer' | 'hold' | 'fail';
  reason: string;
  until?: Date | string;
  detail?: Record<string, unknown>;
}

/**
 * One SMS, in or out. The row is the truth (law 3): a send job only says "look at message X",
 * and does nothing when the row says the work is already done.
 */
@Entity({ name: 'message' })
@Index('UQ_message_workspace_idempotency_key', ['workspaceId', 'idempotencyKey'], { unique: true })
@Index('IDX_message_workspace_created', ['workspaceId', 'createdAt'])
@Index('IDX_message_workspace_contact_created', ['workspaceId', 'contactId', 'createdAt'])
@Index('IDX_message_workspace_status', ['workspaceId', 'status'])
@Index('IDX_message_workspace_provider_message', ['workspaceId', 'providerMessageId'])
// The reconciler's scans: only waiting rows are in these (migration 1765580000000, decision 0261).
@Index('IDX_message_waiting', ['createdAt'], { where: `"status" IN ('queued', 'deferred')` })
@Index('IDX_message_sending', ['createdAt'], { where: `"status" = 'sending'` })
@Check('CHK_message_direction', `"direction" IN ('outbound', 'inbound')`)
@Check('CHK_message_type', `"type" IN ('marketing', 'transactional', 'conversational', 'system')`)
@Check(
  'CHK_message_status',
  `"status" IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'blocked', 'deferred', 'received', 'held')`,
)
@Check('CHK_message_encoding', `"encoding" IN ('GSM-7', 'UCS-2')`)
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_message_workspace' })
  workspace?: Workspace;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId: string | null;

  @ManyToOne(() => Contact, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_message_contact' })
  contact?: Contact;

  @Column({ type: 'text' })
  direction: MessageDirection;

  @Column({ type: 'text' })
  type: MessageType;

  /** The other party's number (recipient or sender), E.164. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** Our number (or messaging service) the text went out from or came in to. */
  @Column({ type: 'text', nullable: true })
  sender: string | null;

  /** The text; outbound bodies are rendered at submit and completed (brand, footer) at send time. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'integer' })
  segments: number;

  @Column({ type: 'text' })
  encoding: SmsEncoding;

  @Column({ type: 'text' })
  status: MessageStatus;

  /** Why it was blocked, deferred, held or failed (a stable code such as `opted_out`). */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Every policy's answer at the last evaluation. */
  @Column({ name: 'policy_trace', type: 'jsonb', default: [] })
  policyTrace: PolicyTraceEntry[];

  /** Deferred: the next instant it may go out. Queued: the earliest send time (notBefore). */
  @Column({ name: 'deferred_until', type: 'timestamptz', nullable: true })
  deferredUntil: Date | null;

  /** `run:<runId>:<stepId>`, `campaign:<id>:<contactId>`, `inbound:twilio:<MessageSid>`... */
  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey: string;

  @Column({ type: 'jsonb', default: {} })
  origin: MessageOrigin;

  @Column({ type: 'text', nullable: true })
  provider: string | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;

  /** How many times a send job picked it up (deferrals, retries). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** The hub clock's time of submission (or receipt), so tests and the simulator can move time. */
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** When the send job passed the last policy and called the provider (status `sending`). */
  @Column({ name: 'handed_off_at', type: 'timestamptz', nullable: true })
  handedOffAt: Date | null;

  /** Accepted by the provider. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}

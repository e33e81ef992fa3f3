import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '@optline/core';
import { Contact } from '@optline/contacts';
import { Disclosure } from '../disclosures/disclosure.entity';
import type { ConsentMessageType, ConsentSource, ConsentState, LedgerEntryKind } from '../consent.types';

/**
 * One entry of the workspace's consent ledger (law 5). Appended, never updated: a database
 * trigger refuses updates and deletes, except erasure blanking `phone`, which the hash does not
 * cover. `seq` orders the workspace's chain; `hash` = sha256(canonical entry + prev_hash).
 */
@Entity({ name: 'consent_event' })
@Index('UQ_consent_event_workspace_seq', ['workspaceId', 'seq'], { unique: true })
@Index('IDX_consent_event_contact', ['workspaceId', 'contactId', 'seq'])
@Index('IDX_consent_event_phone_hash', ['workspaceId', 'phoneHash', 'occurredAt'])
@Index('IDX_consent_event_occurred', ['workspaceId', 'occurredAt'])
@Check('CHK_consent_event_kind', `"kind" IN ('consent', 'suppression_added', 'suppression_removed')`)
@Check('CHK_consent_event_message_type', `"message_type" IN ('marketing', 'transactional', 'conversational')`)
@Check('CHK_consent_event_state', `"state" IN ('none', 'pending', 'opted_in', 'opted_out')`)
@Check(
  'CHK_consent_event_consent_fields',
  `"kind" <> 'consent' OR ("contact_id" IS NOT NULL AND "message_type" IS NOT NULL AND "state" IS NOT NULL)`,
)
export class ConsentEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_consent_event' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_consent_event_workspace' })
  workspace?: Workspace;

  /** Position in the workspace's chain, from 1 (a bigint: a string in JavaScript). */
  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'text', default: 'consent' })
  kind: LedgerEntryKind;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId: string | null;

  @ManyToOne(() => Contact)
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_consent_event_contact' })
  contact?: Contact;

  /** E.164 at the time of the act; null once the contact is erased. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** Keyed hash of the phone; covered by the chain hash and kept forever. */
  @Column({ name: 'phone_hash', type: 'text' })
  phoneHash: string;

  /** Null on suppression entries. */
  @Column({ name: 'message_type', type: 'text', nullable: true })
  messageType: ConsentMessageType | null;

  /** Null on suppression entries. */
  @Column({ type: 'text', nullable: true })
  state: ConsentState | null;

  @Column({ type: 'text' })
  source: ConsentSource;

  @Column({ type: 'jsonb', default: {} })
  evidence: Record<string, unknown>;

  @Column({ name: 'disclosure_id', type: 'uuid', nullable: true })
  disclosureId: string | null;

  @ManyToOne(() => Disclosure)
  @JoinColumn({ name: 'disclosure_id', foreignKeyConstraintName: 'FK_consent_event_disclosure' })
  disclosure?: Disclosure;

  @Column({ name: 'flow_id', type: 'text', nullable: true })
  flowId: string | null;

  @Column({ name: 'campaign_id', type: 'text', nullable: true })
  campaignId: string | null;

  /** 'api_key:<id>', 'agent:<id>' or a free label; null for the person themselves. */
  @Column({ type: 'text', nullable: true })
  actor: string | null;

  /** When the person acted. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  /** When we wrote it down (the clock's now). */
  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;
}

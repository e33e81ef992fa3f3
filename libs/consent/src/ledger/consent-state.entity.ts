import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Workspace } from '@optline/core';
import { Contact } from '@optline/contacts';
import type { ConsentMessageType, ConsentState } from '../consent.types';
import { ConsentEvent } from './consent-event.entity';

/** The current state per contact and type: a projection of the ledger, written in the append's transaction. */
@Entity({ name: 'consent_state' })
@Index('IDX_consent_state_workspace_type_state', ['workspaceId', 'messageType', 'state'])
@Check('CHK_consent_state_message_type', `"message_type" IN ('marketing', 'transactional', 'conversational')`)
@Check('CHK_consent_state_state', `"state" IN ('none', 'pending', 'opted_in', 'opted_out')`)
export class ConsentStateRow {
  @PrimaryColumn({ name: 'contact_id', type: 'uuid', primaryKeyConstraintName: 'PK_consent_state' })
  contactId: string;

  @PrimaryColumn({ name: 'message_type', type: 'text', primaryKeyConstraintName: 'PK_consent_state' })
  messageType: ConsentMessageType;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_consent_state_contact' })
  contact?: Contact;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_consent_state_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  state: ConsentState;

  /** The ledger entry that established this state. */
  @Column({ name: 'last_event_id', type: 'uuid' })
  lastEventId: string;

  @ManyToOne(() => ConsentEvent)
  @JoinColumn({ name: 'last_event_id', foreignKeyConstraintName: 'FK_consent_state_last_event' })
  lastEvent?: ConsentEvent;

  /** When the establishing act occurred. */
  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}

import { Workspace } from '@optline/core';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What the provider's line-type lookup said about a number, cached: keyed by the phone's keyed
 * hash (as the suppression list is), so no number is stored and erasure leaves nothing behind.
 */
@Entity({ name: 'line_type_lookup' })
export class LineTypeLookup {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid', primaryKeyConstraintName: 'PK_line_type_lookup' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_line_type_lookup_workspace' })
  workspace?: Workspace;

  @PrimaryColumn({ name: 'phone_hash', type: 'text', primaryKeyConstraintName: 'PK_line_type_lookup' })
  phoneHash: string;

  @Column({ type: 'boolean' })
  valid: boolean;

  /** Twilio Lookup v2's `line_type_intelligence.type` (mobile, landline, fixedVoip, ...); null when unknown. */
  @Column({ name: 'line_type', type: 'text', nullable: true })
  lineType: string | null;

  @Column({ name: 'carrier_name', type: 'text', nullable: true })
  carrierName: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt: Date;
}

export const DEACTIVATION_OUTCOMES = ['suppressed', 'already_suppressed', 'reconsented'] as const;
export type DeactivationOutcome = (typeof DEACTIVATION_OUTCOMES)[number];

/** One line of a carrier's deactivation list, as imported, and what the hub did with it. */
@Entity({ name: 'number_deactivation' })
@Index('UQ_number_deactivation_workspace_phone_day', ['workspaceId', 'phoneHash', 'deactivatedOn'], { unique: true })
@Check('CHK_number_deactivation_outcome', `"outcome" IN ('suppressed', 'already_suppressed', 'reconsented')`)
export class NumberDeactivation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_number_deactivation' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_number_deactivation_workspace' })
  workspace?: Workspace;

  @Column({ name: 'phone_hash', type: 'text' })
  phoneHash: string;

  /** The day the carrier deactivated the number (YYYY-MM-DD). */
  @Column({ name: 'deactivated_on', type: 'date' })
  deactivatedOn: string;

  @Column({ type: 'text' })
  outcome: DeactivationOutcome;

  @Column({ name: 'imported_at', type: 'timestamptz' })
  importedAt: Date;

  @Column({ type: 'text' })
  actor: string;
}

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '@optline/core';

export type GroupKind = 'static' | 'opted_in' | 'opted_out';
export type SystemGroupKind = Exclude<GroupKind, 'static'>;

/** The names the two system groups are created with (seed 001). */
export const SYSTEM_GROUP_NAMES: Record<SystemGroupKind, string> = { opted_in: 'Opted-In', opted_out: 'Opted-Out' };

/**
 * A named set of contacts. Static groups are managed by people and flows; the two system groups
 * (Opted-In, Opted-Out) follow consent and refuse manual membership changes.
 */
@Entity({ name: 'contact_group' })
@Index('UQ_contact_group_workspace_name', ['workspaceId', 'name'], { unique: true })
@Index('UQ_contact_group_workspace_system', ['workspaceId', 'kind'], { unique: true, where: `"kind" <> 'static'` })
@Check('CHK_contact_group_kind', `"kind" IN ('static', 'opted_in', 'opted_out')`)
export class ContactGroup {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_contact_group' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_contact_group_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: 'static' })
  kind: GroupKind;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

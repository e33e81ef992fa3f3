import { SealedSecret, Workspace } from '@optline/core';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const FLOW_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export type FlowStatus = (typeof FLOW_STATUSES)[number];

/**
 * A flow: a name, a status and a line of versions. `activeVersion` is what new runs start on;
 * `latestVersion` may be newer (a draft edit waiting for activation).
 */
@Entity({ name: 'flow' })
@Index('IDX_flow_workspace_status', ['workspaceId', 'status'])
@Check('CHK_flow_status', `"status" IN ('draft', 'active', 'paused', 'archived')`)
export class Flow {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_flow' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_flow_workspace' })
  workspace?: Workspace;

  /** The built-in template it came from, if any. */
  @Column({ name: 'template_key', type: 'text', nullable: true })
  templateKey: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: 'draft' })
  status: FlowStatus;

  @Column({ name: 'active_version', type: 'integer', nullable: true })
  activeVersion: number | null;

  @Column({ name: 'latest_version', type: 'integer' })
  latestVersion: number;

  /** Signs the flow's webhook calls (HMAC-SHA256); sealed with SecretBox. */
  @Column({ name: 'webhook_secret', type: 'jsonb', select: false })
  webhookSecret?: SealedSecret;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;
}

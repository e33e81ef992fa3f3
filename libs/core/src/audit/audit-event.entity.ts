import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '../workspaces/workspace.entity';

/** One act of a key or a person that has no ledger of its own: invitations, people, plugin changes. */
@Entity({ name: 'audit_event' })
@Index('IDX_audit_event_workspace_created', ['workspaceId', 'createdAt', 'id'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_audit_event' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_audit_event_workspace' })
  workspace?: Workspace;

  /** `user:<id>`, `api_key:<id>` or `setup`. */
  @Column({ type: 'text' })
  actor: string;

  /** `plugin.installed`, `invitation.created`, `user.removed`… */
  @Column({ type: 'text' })
  action: string;

  /** What was acted on: a plugin id, a user id, an invitation id. */
  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

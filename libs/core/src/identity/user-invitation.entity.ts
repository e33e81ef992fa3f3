import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../auth/permissions';
import { Workspace } from '../workspaces/workspace.entity';

/** An admin's invitation to join a workspace with a role. The link's token is stored as SHA-256 only. */
@Entity({ name: 'user_invitation' })
@Index('IDX_user_invitation_workspace', ['workspaceId'])
@Check('CHK_user_invitation_role', `"role" IN ('admin', 'marketing', 'support', 'operations')`)
export class UserInvitation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_user_invitation' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_user_invitation_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  role: Role;

  @Index('UQ_user_invitation_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'text', select: false })
  tokenHash: string;

  /** Who invited: `user:<id>` or `api_key:<id>`. */
  @Column({ name: 'invited_by', type: 'text' })
  invitedBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'accepted_user_id', type: 'uuid', nullable: true })
  acceptedUserId: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

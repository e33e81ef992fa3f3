import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../auth/permissions';
import { Workspace } from '../workspaces/workspace.entity';

/**
 * A person who signs in to the console. One workspace per user, and the email is unique across
 * the install so signing in by email finds exactly one account.
 */
@Entity({ name: 'app_user' })
@Index('IDX_app_user_workspace', ['workspaceId'])
@Check('CHK_app_user_role', `"role" IN ('admin', 'marketing', 'support', 'operations')`)
export class AppUser {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_app_user' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_app_user_workspace' })
  workspace?: Workspace;

  /** Lower-cased and trimmed before it is stored or looked up. */
  @Index('UQ_app_user_email', { unique: true })
  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  role: Role;

  /** `scrypt$N$r$p$salt$hash` (docs/decisions/0170); never selected unless asked for. */
  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;
}

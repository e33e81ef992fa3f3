import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '../workspaces/workspace.entity';
import type { Role } from './permissions';

@Entity({ name: 'api_key' })
@Index('IDX_api_key_workspace', ['workspaceId'])
@Check('CHK_api_key_role', `"role" IN ('admin', 'marketing', 'support', 'operations')`)
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_api_key_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  /** SHA-256 of the whole key; the key itself is shown once and never stored. */
  @Index('UQ_api_key_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'text', select: false })
  keyHash: string;

  /** The visible start of the key, so people can tell their keys apart. */
  @Column({ type: 'text' })
  prefix: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

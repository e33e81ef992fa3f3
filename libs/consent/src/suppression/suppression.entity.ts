import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '@optline/core';

/**
 * A number this workspace never texts, whatever its consent. Matched by keyed hash, so an entry
 * keeps working after the contact's erasure blanks the phone.
 */
@Entity({ name: 'suppression' })
@Index('UQ_suppression_workspace_phone_hash', ['workspaceId', 'phoneHash'], { unique: true })
export class Suppression {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_suppression' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_suppression_workspace' })
  workspace?: Workspace;

  @Column({ name: 'phone_hash', type: 'text' })
  phoneHash: string;

  /** Shown in lists; null once the number's contact was erased. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  actor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

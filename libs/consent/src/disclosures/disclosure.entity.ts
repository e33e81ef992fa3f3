import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '@optline/core';

/** A version of the text a person saw when opting in. Never edited: a change is a new version. */
@Entity({ name: 'disclosure' })
@Index('UQ_disclosure_workspace_version', ['workspaceId', 'version'], { unique: true })
export class Disclosure {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_disclosure' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_disclosure_workspace' })
  workspace?: Workspace;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  text: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Workspace } from '@optline/core';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SegmentRule } from './segment-compiler';

/**
 * A saved, dynamic audience: conditions over contacts, evaluated whenever it is used (a count,
 * a campaign's resolution), never a stored list of members.
 */
@Entity({ name: 'segment' })
@Index('UQ_segment_workspace_name', ['workspaceId', 'name'], { unique: true })
export class Segment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_segment' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_segment_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** JSON Logic over contact, consent, consentSource, suppressed (docs/campaigns.md). */
  @Column({ type: 'jsonb' })
  conditions: SegmentRule;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

import { Workspace } from '@optline/core';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { FlowDefinition } from '../definition/flow-definition';
import { Flow } from './flow.entity';

/** One frozen version of a flow's document. Never changed once written. */
@Entity({ name: 'flow_version' })
@Index('UQ_flow_version_flow_version', ['flowId', 'version'], { unique: true })
@Index('IDX_flow_version_workspace', ['workspaceId'])
export class FlowVersion {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_flow_version' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_flow_version_workspace' })
  workspace?: Workspace;

  @Column({ name: 'flow_id', type: 'uuid' })
  flowId: string;

  @ManyToOne(() => Flow, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flow_id', foreignKeyConstraintName: 'FK_flow_version_flow' })
  flow?: Flow;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  definition: FlowDefinition;

  /** Copied out of the definition so trigger matching is one indexed-friendly query. */
  @Column({ name: 'trigger_events', type: 'text', array: true })
  triggerEvents: string[];

  @Column({ name: 'exit_events', type: 'text', array: true })
  exitEvents: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Workspace } from '@optline/core';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { FlowRun } from './flow-run.entity';

/** One line of a run's timeline: a step executed (or the run enrolled, exited, completed). Append-only. */
@Entity({ name: 'flow_run_step' })
@Index('IDX_flow_run_step_run', ['runId', 'id'])
@Index('IDX_flow_run_step_message', ['messageId'], { where: `"message_id" IS NOT NULL` })
export class FlowRunStep {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_flow_run_step' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_flow_run_step_workspace' })
  workspace?: Workspace;

  @Column({ name: 'run_id', type: 'uuid' })
  runId: string;

  @ManyToOne(() => FlowRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'FK_flow_run_step_run' })
  run?: FlowRun;

  /** Null for run-level lines (enrolled, exited, completed). */
  @Column({ name: 'step_id', type: 'text', nullable: true })
  stepId: string | null;

  @Column({ name: 'step_type', type: 'text', nullable: true })
  stepType: string | null;

  /** The hub clock's time of the step. */
  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'text' })
  outcome: string;

  @Column({ type: 'jsonb', default: {} })
  detail: Record<string, unknown>;

  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId: string | null;
}

import { Contact } from '@optline/contacts';
import { Workspace } from '@optline/core';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Flow } from './flow.entity';
import { FlowVersion } from './flow-version.entity';

export const RUN_STATUSES = ['active', 'waiting', 'completed', 'exited', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses of a run that is not over (the unique "one live run" index covers these). */
export const LIVE_RUN_STATUSES: RunStatus[] = ['active', 'waiting'];

/** A reply stored on the run by the inbound listener, waiting for the step job to consume it. */
export interface PendingReply {
  messageId: string | null;
  body: string;
  keyword: string | null;
  at: string;
}

/** What a run carries from step to step (jsonb). */
export interface RunContext {
  /** The event data (`event.*`): the trigger's, or the enrolment's `data`. */
  event: Record<string, unknown>;
  eventType: string | null;
  correlation: Record<string, string>;
  arms: Record<string, string>;
  lastReply: { body: string; keyword: string | null } | null;
  pendingReply: PendingReply | null;
  /** While waiting for a reply: the timeout (wake_at is pulled forward when a reply arrives). */
  replyTimeoutAt: string | null;
  /** Tracing on: the W3C traceparent of the event dispatch that started the run (decision 0265). */
  trace?: string;
}

/**
 * One person's way through one flow version. Postgres is the truth (law 3): `stepId` is where
 * the run is, `wakeAt` when it must next be looked at; a Bull job only says "look now".
 */
@Entity({ name: 'flow_run' })
@Index('UQ_flow_run_live', ['flowId', 'contactId', 'correlationKey'], { unique: true, where: `"status" IN ('active', 'waiting')` })
@Index('UQ_flow_run_trigger_event', ['flowId', 'contactId', 'triggerEventId'], { unique: true, where: `"trigger_event_id" IS NOT NULL` })
@Index('IDX_flow_run_due', ['wakeAt'], { where: `"status" IN ('active', 'waiting')` })
@Index('IDX_flow_run_flow', ['workspaceId', 'flowId', 'startedAt'])
@Index('IDX_flow_run_contact', ['workspaceId', 'contactId', 'flowId'])
@Index('IDX_flow_run_correlation', ['workspaceId', 'correlationKey'], { where: `"status" IN ('active', 'waiting')` })
@Check('CHK_flow_run_status', `"status" IN ('active', 'waiting', 'completed', 'exited', 'failed')`)
@Check('CHK_flow_run_wait_kind', `"wait_kind" IS NULL OR "wait_kind" IN ('timer', 'reply')`)
export class FlowRun {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_flow_run' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_flow_run_workspace' })
  workspace?: Workspace;

  @Column({ name: 'flow_id', type: 'uuid' })
  flowId: string;

  @ManyToOne(() => Flow, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flow_id', foreignKeyConstraintName: 'FK_flow_run_flow' })
  flow?: Flow;

  @Column({ name: 'flow_version_id', type: 'uuid' })
  flowVersionId: string;

  @ManyToOne(() => FlowVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flow_version_id', foreignKeyConstraintName: 'FK_flow_run_version' })
  flowVersion?: FlowVersion;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_flow_run_contact' })
  contact?: Contact;

  /** The stored trigger event that started it (null for an enrolment through the API). */
  @Column({ name: 'trigger_event_id', type: 'uuid', nullable: true })
  triggerEventId: string | null;

  /** Value of the trigger's correlation field ('' when the flow has none): one live run per flow, contact and key. */
  @Column({ name: 'correlation_key', type: 'text', default: '' })
  correlationKey: string;

  @Column({ type: 'text' })
  status: RunStatus;

  /** The step to execute (or being waited on); null once over. */
  @Column({ name: 'step_id', type: 'text', nullable: true })
  stepId: string | null;

  /** When the run must next be looked at (its job's run time); the reconciler re-arms from it. */
  @Column({ name: 'wake_at', type: 'timestamptz', nullable: true })
  wakeAt: Date | null;

  @Column({ name: 'wait_kind', type: 'text', nullable: true })
  waitKind: 'timer' | 'reply' | null;

  @Column({ type: 'jsonb' })
  context: RunContext;

  /** The group the run was enrolled from (target `enrolled` of group steps). */
  @Column({ name: 'enrolled_group_id', type: 'uuid', nullable: true })
  enrolledGroupId: string | null;

  @Column({ name: 'exit_reason', type: 'text', nullable: true })
  exitReason: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

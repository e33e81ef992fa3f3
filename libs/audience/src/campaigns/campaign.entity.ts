import { Workspace } from '@optline/core';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SegmentRule } from '../segments/segment-compiler';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Who gets it: a group or a segment, minus any excluded groups and segments. */
export interface CampaignAudience {
  groupId?: string | null;
  segmentId?: string | null;
  excludeGroupIds?: string[];
  excludeSegmentIds?: string[];
}

/** What they get: one message (straight to the gateway) or a flow to enrol into. */
export type CampaignContent = { kind: 'message'; messageType: 'marketing' | 'transactional'; body: string } | { kind: 'flow'; flowId: string };

/** When: now, at an instant, or at a wall-clock time in each recipient's own zone. */
export type CampaignSchedule = { mode: 'now' } | { mode: 'at'; at: string } | { mode: 'local'; localTime: string };

/**
 * A campaign. The row is the truth of its sending (law 3): `cursor` is the last contact id whose
 * page was handed to the gateway, so a worker that dies mid-campaign resumes after it, and the
 * gateway's idempotency key (campaign + contact) absorbs a page handed over twice.
 */
@Entity({ name: 'campaign' })
@Index('IDX_campaign_workspace_created', ['workspaceId', 'createdAt'])
@Index('IDX_campaign_status_start', ['status', 'startAt'])
@Check('CHK_campaign_status', `"status" IN ('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled')`)
export class Campaign {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_campaign' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_campaign_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: 'draft' })
  status: CampaignStatus;

  @Column({ type: 'jsonb' })
  audience: CampaignAudience;

  @Column({ type: 'jsonb' })
  content: CampaignContent;

  @Column({ type: 'jsonb' })
  schedule: CampaignSchedule;

  /** Most messages handed to the gateway per minute; null = as fast as the senders allow. */
  @Column({ name: 'throttle_per_minute', type: 'integer', nullable: true })
  throttlePerMinute: number | null;

  /** When resolution starts (scheduled); for local-time campaigns the first zone's moment. */
  @Column({ name: 'start_at', type: 'timestamptz', nullable: true })
  startAt: Date | null;

  /** The audience rule frozen when sending began, so a resumed campaign pages the same audience. */
  @Column({ name: 'audience_rule', type: 'jsonb', nullable: true })
  audienceRule: SegmentRule | null;

  @Column({ name: 'audience_size', type: 'integer', nullable: true })
  audienceSize: number | null;

  @Column({ name: 'resolved_count', type: 'integer', default: 0 })
  resolvedCount: number;

  @Column({ type: 'uuid', nullable: true })
  cursor: string | null;

  /** Every page of the audience handed over: the campaign completes once its messages are decided. */
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** A worker paging this campaign holds it until then; another takes over after. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'window_started_at', type: 'timestamptz', nullable: true })
  windowStartedAt: Date | null;

  @Column({ name: 'window_count', type: 'integer', default: 0 })
  windowCount: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

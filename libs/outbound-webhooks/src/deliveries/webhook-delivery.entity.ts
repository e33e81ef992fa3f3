import { Workspace } from '@optline/core';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { WebhookEndpoint } from '../endpoints/webhook-endpoint.entity';

export const DELIVERY_STATUSES = ['pending', 'sending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One attempt as the delivery log shows it. */
export interface DeliveryAttempt {
  at: string;
  /** The HTTP status the endpoint answered; null when it did not answer (timeout, refused, DNS). */
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
}

/**
 * One event for one endpoint: its payload (kept, so a replay sends the same bytes' content),
 * where it stands and its attempts. The delivery's id is the `webhook-id` receivers deduplicate on.
 * `event_key` names the event (a consent entry, a message status…), so the same event announced
 * twice is delivered once.
 */
@Entity({ name: 'webhook_delivery' })
@Index('IDX_webhook_delivery_endpoint', ['workspaceId', 'endpointId', 'createdAt'])
@Index('UQ_webhook_delivery_event', ['endpointId', 'eventKey'], { unique: true })
@Index('IDX_webhook_delivery_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
@Check('CHK_webhook_delivery_status', `"status" IN ('pending', 'sending', 'succeeded', 'failed')`)
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webhook_delivery' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_webhook_delivery_workspace' })
  workspace?: Workspace;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'FK_webhook_delivery_endpoint' })
  endpoint?: WebhookEndpoint;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  @Column({ name: 'event_key', type: 'text' })
  eventKey: string;

  /** The JSON body: `{ type, timestamp, workspaceId, data }`. */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text', default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** The schedule's attempts at creation; a replay allows one more. */
  @Column({ name: 'max_attempts', type: 'integer' })
  maxAttempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The latest attempts, newest last (at most 20). */
  @Column({ name: 'attempt_log', type: 'jsonb', default: [] })
  attemptLog: DeliveryAttempt[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

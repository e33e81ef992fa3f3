import { SealedSecret, Workspace } from '@optline/core';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A URL a workspace subscribed to some of its events. Its signing secret is sealed at rest and
 * shown once (at creation and at each rotation); `secretHint` is its last characters, so people
 * can tell which secret a receiver holds.
 */
@Entity({ name: 'webhook_endpoint' })
@Index('IDX_webhook_endpoint_workspace', ['workspaceId', 'createdAt'])
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webhook_endpoint' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_webhook_endpoint_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** The event types it receives (WEBHOOK_EVENT_TYPES). */
  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes: string[];

  @Column({ type: 'jsonb', select: false })
  secret?: SealedSecret;

  @Column({ name: 'secret_hint', type: 'text' })
  secretHint: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Why it was disabled (by the hub after repeated failure, or by a person); null while enabled. */
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  /** Deliveries in a row that failed every attempt; a success sets it back to 0. */
  @Column({ name: 'failed_in_a_row', type: 'integer', default: 0 })
  failedInARow: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

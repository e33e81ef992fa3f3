import { Workspace } from '@optline/core';
import type { SealedSecret } from '@optline/core';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The last thing that went wrong with an installation, for its status. */
export interface InstallationError {
  /** Where it happened: `verify`, `payload`, `plugin`, `enable`, `disable`, `writeback`, or a plugin's own. */
  source: string;
  message: string;
  at: string;
}

/** One workspace's installation of one plugin: its config, sealed secrets and health. */
@Entity({ name: 'plugin_installation' })
@Index('UQ_plugin_installation_workspace_plugin', ['workspaceId', 'pluginId'], { unique: true })
@Index('IDX_plugin_installation_enabled', ['workspaceId', 'pluginId'], { where: '"enabled"' })
export class PluginInstallation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_plugin_installation' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_plugin_installation_workspace' })
  workspace?: Workspace;

  @Column({ name: 'plugin_id', type: 'text' })
  pluginId: string;

  @Column({ type: 'boolean', default: false })
  enabled: boolean;

  /** The config without its secret fields. */
  @Column({ type: 'jsonb', default: {} })
  config: Record<string, unknown>;

  /** The secret fields as one AES-256-GCM sealed JSON object; never selected unless asked for. */
  @Column({ type: 'jsonb', nullable: true, select: false })
  secrets: SealedSecret | null;

  /** Id of the key that sealed `secrets`, so rows still sealed with an old key can be found after a rotation. */
  @Column({ name: 'key_id', type: 'text', nullable: true })
  keyId: string | null;

  /** Plugin-owned runtime data (webhook ids, channels, sync tokens). */
  @Column({ type: 'jsonb', default: {} })
  state: Record<string, unknown>;

  /** Per-installation override of the plugin's ingress rate limit. */
  @Column({ name: 'requests_per_minute', type: 'integer', nullable: true })
  requestsPerMinute: number | null;

  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt: Date | null;

  @Column({ name: 'last_error', type: 'jsonb', nullable: true })
  lastError: InstallationError | null;

  /** Webhook deliveries accepted (events stored). */
  @Column({ name: 'received_count', type: 'integer', default: 0 })
  receivedCount: number;

  @Column({ name: 'duplicate_count', type: 'integer', default: 0 })
  duplicateCount: number;

  /** Deliveries refused: bad signature, unreadable payload, plugin failure. */
  @Column({ name: 'rejected_count', type: 'integer', default: 0 })
  rejectedCount: number;

  @Column({ name: 'enabled_at', type: 'timestamptz', nullable: true })
  enabledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

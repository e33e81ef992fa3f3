import { Workspace } from '@optline/core';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PluginInstallation } from '../installations/plugin-installation.entity';

export type WritebackStatus = 'pending' | 'succeeded' | 'failed' | 'skipped';

/**
 * One consent change to write back to one installation's remote system. The row is the truth;
 * the 'plugin.consent-writeback' job points at it and retries until it succeeds or gives up.
 */
@Entity({ name: 'plugin_writeback' })
@Index('UQ_plugin_writeback_installation_event', ['installationId', 'consentEventId'], { unique: true })
@Index('IDX_plugin_writeback_workspace_installation_status', ['workspaceId', 'installationId', 'status'])
@Check('CHK_plugin_writeback_status', `"status" IN ('pending', 'succeeded', 'failed', 'skipped')`)
export class PluginWriteback {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_plugin_writeback' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_plugin_writeback_workspace' })
  workspace?: Workspace;

  @Column({ name: 'installation_id', type: 'uuid' })
  installationId: string;

  @ManyToOne(() => PluginInstallation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'installation_id', foreignKeyConstraintName: 'FK_plugin_writeback_installation' })
  installation?: PluginInstallation;

  /** The consent ledger entry being written back. */
  @Column({ name: 'consent_event_id', type: 'uuid' })
  consentEventId: string;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @Column({ name: 'message_type', type: 'text' })
  messageType: string;

  @Column({ type: 'text' })
  state: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'text', default: 'pending' })
  status: WritebackStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

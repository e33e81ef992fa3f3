import { Workspace } from '@optline/core';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * Where the hub stands with one watched calendar: Google's sync token and when it last synced.
 * The row is also the calendar's sync lock (`SELECT … FOR UPDATE`), so notifications arriving
 * together never sync the same calendar twice at once, and the token moves in the same
 * transaction as the appointments it covers.
 */
@Entity({ name: 'google_calendar_cursor' })
@Index('IDX_google_calendar_cursor_workspace', ['workspaceId'])
export class GoogleCalendarCursor {
  @PrimaryColumn({ name: 'installation_id', type: 'uuid', primaryKeyConstraintName: 'PK_google_calendar_cursor' })
  installationId: string;

  @PrimaryColumn({ name: 'calendar_id', type: 'text', primaryKeyConstraintName: 'PK_google_calendar_cursor' })
  calendarId: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_google_calendar_cursor_workspace' })
  workspace?: Workspace;

  // Named by string so the plugin does not import the SDK's entity: deleting the installation
  // deletes what the plugin remembered for it.
  @ManyToOne('PluginInstallation', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'installation_id', foreignKeyConstraintName: 'FK_google_calendar_cursor_installation' })
  installation?: unknown;

  /** Google's `nextSyncToken`; null until the first full sync, and after a 410. */
  @Column({ name: 'sync_token', type: 'text', nullable: true })
  syncToken: string | null;

  /** The last full listing; null means the next sync is the calendar's first (its events are pre-existing). */
  @Column({ name: 'full_synced_at', type: 'timestamptz', nullable: true })
  fullSyncedAt: Date | null;

  @Column({ name: 'synced_at', type: 'timestamptz', nullable: true })
  syncedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

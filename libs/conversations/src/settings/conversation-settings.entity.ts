import { Workspace } from '@optline/core';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A workspace's conversation settings: the team inbox's name and its own versions of the texts. */
@Entity({ name: 'conversation_settings' })
export class ConversationSettings {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid', primaryKeyConstraintName: 'PK_conversation_settings' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_conversation_settings_workspace' })
  workspace?: Workspace;

  /** The name clients see for team-inbox texts; null = the workspace's brand name. */
  @Column({ name: 'team_name', type: 'text', nullable: true })
  teamName: string | null;

  /** Templates replacing the defaults, keyed by ConversationTextKey. */
  @Column({ type: 'jsonb', default: {} })
  texts: Record<string, string>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

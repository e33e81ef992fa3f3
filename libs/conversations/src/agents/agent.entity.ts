import { ApiKey, Workspace } from '@optline/core';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A staff member who texts clients: the name clients see, bound to one API key (the agent's own
 * token, docs/decisions/0130). The key's role decides what the agent may do.
 */
@Entity({ name: 'agent' })
@Index('IDX_agent_workspace', ['workspaceId'])
export class Agent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_agent_workspace' })
  workspace?: Workspace;

  @Index('UQ_agent_api_key', { unique: true })
  @Column({ name: 'api_key_id', type: 'uuid' })
  apiKeyId: string;

  @ManyToOne(() => ApiKey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'FK_agent_api_key' })
  apiKey?: ApiKey;

  /** The name clients see in texts ("[Auto Message] Dana Reyes is trying to reach you..."). */
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

import { ApiKey, AppUser, Workspace } from '@optline/core';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A staff member who texts clients: the name clients see, bound to one API key (the agent's own
 * token, docs/decisions/0130) or to one person who signs in to the console (decision 0220). The
 * key's or the person's role decides what the agent may do.
 */
@Entity({ name: 'agent' })
@Check('CHK_agent_credential', '("api_key_id" IS NULL) <> ("user_id" IS NULL)')
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
  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @ManyToOne(() => ApiKey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'FK_agent_api_key' })
  apiKey?: ApiKey;

  @Index('UQ_agent_user', { unique: true })
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => AppUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_agent_user' })
  user?: AppUser;

  /** The name clients see in texts ("[Auto Message] Dana Reyes is trying to reach you..."). */
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

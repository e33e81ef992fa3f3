import { Workspace } from '@optline/core';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Message } from '../message/message.entity';

/** A branded short link (`{PUBLIC_URL}/l/{code}`) made by the `link` filter for one message. */
@Entity({ name: 'link' })
@Index('IDX_link_workspace_message', ['workspaceId', 'messageId'])
export class Link {
  /** Random, unguessable, URL-safe. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_link' })
  code: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_link_workspace' })
  workspace?: Workspace;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'FK_link_message' })
  message?: Message;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'integer', default: 0 })
  clicks: number;

  @Column({ name: 'first_clicked_at', type: 'timestamptz', nullable: true })
  firstClickedAt: Date | null;

  @Column({ name: 'last_clicked_at', type: 'timestamptz', nullable: true })
  lastClickedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

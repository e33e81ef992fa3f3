import { Workspace } from '@optline/core';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { MessageType } from '../message/message.entity';
import type { SenderKind, TenDlcTier, TollFreeTier } from './sender-kinds';

/**
 * One of a workspace's sending identities (a number, a short code, an alphanumeric id) and what
 * it may carry. With none stored, the workspace sends from its provider's `from` as before.
 */
@Entity({ name: 'sender' })
@Index('UQ_sender_workspace_address', ['workspaceId', 'address'], { unique: true })
@Check('CHK_sender_kind', `"kind" IN ('long_code', 'ten_dlc', 'toll_free', 'short_code', 'alphanumeric')`)
@Check('CHK_sender_rate', `"messages_per_second" IS NULL OR "messages_per_second" > 0`)
export class Sender {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_sender' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_sender_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  kind: SenderKind;

  /** What the provider is told to send from: E.164, short code digits, or the alphanumeric id. */
  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'text', nullable: true })
  label: string | null;

  /** Toll-free: its verification tier. (A 10DLC number's tier is its brand's: SenderBrandLimit.) */
  @Column({ type: 'text', nullable: true })
  tier: TollFreeTier | null;

  /** An explicit rate granted by the carrier; null = the default of its kind and tier. */
  @Column({ name: 'messages_per_second', type: 'real', nullable: true })
  messagesPerSecond: number | null;

  @Column({ name: 'message_types', type: 'text', array: true })
  messageTypes: MessageType[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The brand's 10DLC standing: its vetting tier and the daily cap carriers hold it to. */
@Entity({ name: 'sender_brand_limit' })
@Check('CHK_sender_brand_limit_cap', `"daily_cap" IS NULL OR "daily_cap" >= 0`)
export class SenderBrandLimit {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid', primaryKeyConstraintName: 'PK_sender_brand_limit' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_sender_brand_limit_workspace' })
  workspace?: Workspace;

  @Column({ name: 'ten_dlc_tier', type: 'text', nullable: true })
  tenDlcTier: TenDlcTier | null;

  /** Messages a day through the brand's 10DLC senders; null = the tier's default. */
  @Column({ name: 'daily_cap', type: 'integer', nullable: true })
  dailyCap: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

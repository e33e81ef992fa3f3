import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Workspace } from '@optline/core';

/**
 * A person the workspace may text. The phone is the identity (unique per workspace while the
 * contact exists); its keyed hash outlives erasure so suppression and the consent ledger keep
 * working for a number whose personal data is gone.
 */
@Entity({ name: 'contact' })
@Index('UQ_contact_workspace_phone', ['workspaceId', 'phone'], { unique: true })
@Index('IDX_contact_workspace_phone_hash', ['workspaceId', 'phoneHash'])
@Index('IDX_contact_workspace_id', ['workspaceId', 'id'])
@Index('IDX_contact_external_ids', ['externalIds'], { type: 'gin' })
// Expression indexes over the commerce facts (migration 1765520000000, decision 0205): TypeORM
// cannot describe an index on a function of a JSON key, so the entity names them and leaves them be.
@Index('IDX_contact_fact_orders_count', { synchronize: false })
@Index('IDX_contact_fact_total_spent', { synchronize: false })
@Index('IDX_contact_fact_last_order_at', { synchronize: false })
@Index('IDX_contact_fact_customer_since', { synchronize: false })
@Index('IDX_contact_fact_last_appointment_at', { synchronize: false })
export class Contact {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_contact' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_contact_workspace' })
  workspace?: Workspace;

  /** E.164; null once erased. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** SecretBox.keyedHash(e164); kept after erasure. */
  @Column({ name: 'phone_hash', type: 'text' })
  phoneHash: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName: string | null;

  /** An explicit IANA zone only (contact setting, store address, calendar); see resolveTimeZone. */
  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone: string | null;

  /** Free attributes (birthday, tags, tier...), usable in flow filters and templates. */
  @Column({ type: 'jsonb', default: {} })
  attributes: Record<string, unknown>;

  /** Ids of this person in other systems, by source: { shopify: '123', hubspot: '456' }. */
  @Column({ name: 'external_ids', type: 'jsonb', default: {} })
  externalIds: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;
}

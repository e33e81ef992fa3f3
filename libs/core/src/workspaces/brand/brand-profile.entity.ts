import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Workspace } from '../workspace.entity';

/**
 * What a business tells the carriers' vetting (10DLC brand registration) about itself: one row per
 * workspace. Every field may be empty while the business prepares it; the registration kit lists
 * what is still missing (docs/registration.md).
 */
@Entity({ name: 'brand_profile' })
export class BrandProfile {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid', primaryKeyConstraintName: 'PK_brand_profile' })
  workspaceId: string;

  @OneToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_brand_profile_workspace' })
  workspace?: Workspace;

  /** Exactly as on the tax registration: vetting compares it letter for letter. */
  @Column({ name: 'legal_name', type: 'text', nullable: true })
  legalName: string | null;

  /** The name the texts are signed with. */
  @Column({ name: 'brand_name', type: 'text', nullable: true })
  brandName: string | null;

  /** ISO 3166-1 alpha-2 country of registration; decides the tax id's shape. */
  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Column({ name: 'tax_id', type: 'text', nullable: true })
  taxId: string | null;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  @Column({ name: 'privacy_url', type: 'text', nullable: true })
  privacyUrl: string | null;

  @Column({ name: 'terms_url', type: 'text', nullable: true })
  termsUrl: string | null;

  @Column({ name: 'contact_name', type: 'text', nullable: true })
  contactName: string | null;

  @Column({ name: 'contact_email', type: 'text', nullable: true })
  contactEmail: string | null;

  @Column({ name: 'contact_phone', type: 'text', nullable: true })
  contactPhone: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The fields vetting asks for; a profile missing any of them is not ready to submit. */
export const BRAND_PROFILE_FIELDS = ['legalName', 'brandName', 'country', 'taxId', 'website', 'privacyUrl', 'termsUrl', 'contactName', 'contactEmail', 'contactPhone'] as const;
export type BrandProfileField = (typeof BRAND_PROFILE_FIELDS)[number];

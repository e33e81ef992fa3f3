import { Workspace } from '@optline/core';
import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, Unique } from 'typeorm';

/**
 * A workspace's own short-link domain (`go.acme-dental.com`). Links use it once it is verified;
 * on it, links resolve only for this workspace.
 */
@Entity({ name: 'link_domain' })
@Unique('UQ_link_domain_domain', ['domain'])
@Check('CHK_link_domain_lower', `"domain" = lower("domain")`)
export class LinkDomain {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid', primaryKeyConstraintName: 'PK_link_domain' })
  workspaceId: string;

  @OneToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_link_domain_workspace' })
  workspace?: Workspace;

  /** Lower-case host name, unique across workspaces. */
  @Column({ type: 'text' })
  domain: string;

  /** What the domain must answer at /.well-known/optline-link-domain to prove it reaches this hub. */
  @Column({ name: 'verification_token', type: 'text' })
  verificationToken: string;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true })
  checkedAt: Date | null;

  @Column({ name: 'check_error', type: 'text', nullable: true })
  checkError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

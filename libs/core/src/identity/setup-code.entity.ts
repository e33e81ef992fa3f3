import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A one-time code that lets the first person create the first workspace. It belongs to the
 * install, not to a workspace (none exists yet); every code is deleted when setup completes.
 */
@Entity({ name: 'setup_code' })
export class SetupCode {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_setup_code' })
  id: string;

  @Index('UQ_setup_code_hash', { unique: true })
  @Column({ name: 'code_hash', type: 'text' })
  codeHash: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}

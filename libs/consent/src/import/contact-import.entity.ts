import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '@optline/core';
import type { ConsentMessageType } from '../consent.types';

export type ImportStatus = 'uploading' | 'queued' | 'running' | 'completed' | 'failed';

/** Settings of one import, chosen at upload. */
export interface ImportOptions {
  /** Consent columns without a `consent_types` value apply to these types. */
  consentTypes: ConsentMessageType[];
  /** Disclosure recorded with imported opt-ins, if the list was collected under one. */
  disclosureId: string | null;
  /** Free text kept as evidence on every imported consent entry (where the list came from). */
  evidenceNote: string | null;
  /** Publish 'consent.changed' for imported entries (flows, plugin write-back); off by default. */
  announce?: boolean;
  /** The file's header as written, set when reading starts (the rejected-rows report repeats it). */
  header?: string[];
}

/** One CSV import: its file (in chunks), its progress counters and its rejected rows. */
@Entity({ name: 'contact_import' })
@Index('IDX_contact_import_workspace_created', ['workspaceId', 'createdAt'])
@Check('CHK_contact_import_status', `"status" IN ('uploading', 'queued', 'running', 'completed', 'failed')`)
export class ContactImport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_contact_import' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_contact_import_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text', default: 'uploading' })
  status: ImportStatus;

  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName: string | null;

  @Column({ type: 'jsonb', default: {} })
  options: ImportOptions;

  @Column({ type: 'text' })
  actor: string;

  @Column({ name: 'bytes_received', type: 'bigint', default: 0 })
  bytesReceived: string;

  /** Data rows read so far. */
  @Column({ name: 'rows_read', type: 'int', default: 0 })
  rowsRead: number;

  /** Last file line whose row is committed: a retried job resumes after it. */
  @Column({ name: 'checkpoint_line', type: 'int', default: 0 })
  checkpointLine: number;

  @Column({ type: 'int', default: 0 })
  created: number;

  @Column({ type: 'int', default: 0 })
  updated: number;

  @Column({ type: 'int', default: 0 })
  rejected: number;

  /** Rows imported whose consent was not applied (an opt-in over an opt-out). */
  @Column({ name: 'consent_skipped', type: 'int', default: 0 })
  consentSkipped: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/** The uploaded file, kept in Postgres in ~1 MB pieces so any worker can stream it (law 3). */
@Entity({ name: 'contact_import_chunk' })
export class ContactImportChunk {
  @PrimaryColumn({ name: 'import_id', type: 'uuid', primaryKeyConstraintName: 'PK_contact_import_chunk' })
  importId: string;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_contact_import_chunk' })
  seq: number;

  @ManyToOne(() => ContactImport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id', foreignKeyConstraintName: 'FK_contact_import_chunk_import' })
  import?: ContactImport;

  @Column({ type: 'bytea' })
  data: Buffer;
}

export type ImportRowOutcome = 'rejected' | 'consent_skipped';

/** A row the import could not use (or used without its consent), with the reason. */
@Entity({ name: 'contact_import_rejection' })
@Check('CHK_contact_import_rejection_outcome', `"outcome" IN ('rejected', 'consent_skipped')`)
export class ContactImportRejection {
  @PrimaryColumn({ name: 'import_id', type: 'uuid', primaryKeyConstraintName: 'PK_contact_import_rejection' })
  importId: string;

  /** Line in the file, 1-based, the header being line 1. */
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_contact_import_rejection' })
  line: number;

  @ManyToOne(() => ContactImport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id', foreignKeyConstraintName: 'FK_contact_import_rejection_import' })
  import?: ContactImport;

  @Column({ type: 'text' })
  outcome: ImportRowOutcome;

  @Column({ type: 'text' })
  reason: string;

  /** The row as read, so it can be fixed and imported again. */
  @Column({ type: 'jsonb' })
  row: Record<string, string>;
}

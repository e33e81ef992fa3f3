import { Contact } from '@optline/contacts';
import { Workspace } from '@optline/core';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { CanonicalConsentHint, CanonicalContactHint } from '../contract/canonical-events';

export type TriggerEventStatus = 'received' | 'processed' | 'ignored' | 'failed';
export const TRIGGER_EVENT_STATUSES: TriggerEventStatus[] = ['received', 'processed', 'ignored', 'failed'];

/**
 * What happened when the event was dispatched: the contact step, the consent step, and each
 * consumer's answer under its name (e.g. `consumers.flows = { started: [...], ended: [...] }`).
 */
export interface TriggerEventOutcome {
  contact?: { id: string; created: boolean } | { skipped: string; detail?: string };
  consent?: { recorded: string[]; state: string; unchanged?: string[] } | { skipped: string };
  consumers?: Record<string, Record<string, unknown>>;
  errors?: Record<string, string>;
  /** Earlier consumer outcomes, kept when an admin replays the event. */
  replays?: { at: string; consumers: Record<string, Record<string, unknown>> }[];
}

/**
 * One canonical event as received: the row is the truth (law 3); the 'event.dispatch' job only
 * points at it. Unique per (workspace, installation, dedupe key), so a redelivery is a no-op.
 * `installation_id` is kept (without a foreign key) after an installation is deleted: the events
 * and the flow runs they started stay explainable.
 */
@Entity({ name: 'trigger_event' })
@Index('UQ_trigger_event_dedupe', ['workspaceId', 'installationId', 'dedupeKey'], { unique: true, where: '"installation_id" IS NOT NULL' })
@Index('UQ_trigger_event_dedupe_hub', ['workspaceId', 'pluginId', 'dedupeKey'], { unique: true, where: '"installation_id" IS NULL' })
@Index('IDX_trigger_event_workspace_received', ['workspaceId', 'receivedAt'])
@Index('IDX_trigger_event_installation_status', ['installationId', 'status'])
@Index('IDX_trigger_event_contact', ['contactId'])
// The dispatch reconciler's scan: only events not yet dispatched (migration 1765580000000).
@Index('IDX_trigger_event_waiting', ['receivedAt'], { where: `"status" = 'received'` })
@Check('CHK_trigger_event_status', `"status" IN ('received', 'processed', 'ignored', 'failed')`)
export class TriggerEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_trigger_event' })
  id: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_trigger_event_workspace' })
  workspace?: Workspace;

  /** Null for events the hub emits itself (scheduled ones). */
  @Column({ name: 'installation_id', type: 'uuid', nullable: true })
  installationId: string | null;

  /** The emitting plugin's id, or `hub` for events the hub emits. */
  @Column({ name: 'plugin_id', type: 'text' })
  pluginId: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'dedupe_key', type: 'text' })
  dedupeKey: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'jsonb', default: {} })
  correlation: Record<string, string>;

  /** The canonical event's `data`: what flows see as `event.*`. */
  @Column({ type: 'jsonb', default: {} })
  payload: Record<string, unknown>;

  /** Who the event is about, as the plugin said; applied by the dispatch. */
  @Column({ name: 'contact_hint', type: 'jsonb', nullable: true })
  contactHint: CanonicalContactHint | null;

  @Column({ name: 'consent_hint', type: 'jsonb', nullable: true })
  consentHint: CanonicalConsentHint | null;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId: string | null;

  @ManyToOne(() => Contact, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_trigger_event_contact' })
  contact?: Contact;

  @Column({ type: 'text', default: 'received' })
  status: TriggerEventStatus;

  @Column({ type: 'jsonb', default: {} })
  outcome: TriggerEventOutcome;

  /** How many times an admin replayed it. */
  @Column({ name: 'replay_count', type: 'integer', default: 0 })
  replayCount: number;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  /**
   * The W3C `traceparent` of the request that stored it, when tracing is on; its dispatch
   * continues that trace. In memory during a dispatch: the dispatch span's, for the consumers.
   */
  @Column({ name: 'trace_context', type: 'text', nullable: true })
  traceContext: string | null;
}

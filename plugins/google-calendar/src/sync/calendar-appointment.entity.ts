import { Workspace } from '@optline/core';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const APPOINTMENT_STATES = ['booked', 'cancelled'] as const;
export type AppointmentState = (typeof APPOINTMENT_STATES)[number];

/**
 * What Optline last announced about one calendar event: it is how a change is recognised as a
 * booking, a move or a cancellation, and why a full resync after a 410 announces nothing twice.
 * Only announced appointments are kept (no summaries or descriptions), and rows are pruned a
 * while after the appointment.
 */
@Entity({ name: 'google_calendar_appointment' })
@Index('IDX_google_calendar_appointment_workspace', ['workspaceId'])
@Index('IDX_google_calendar_appointment_starts', ['installationId', 'calendarId', 'startsAt'])
@Index('IDX_google_calendar_appointment_contact', ['contactId'])
@Check('CHK_google_calendar_appointment_state', `"state" IN ('booked', 'cancelled')`)
export class GoogleCalendarAppointment {
  @PrimaryColumn({ name: 'installation_id', type: 'uuid', primaryKeyConstraintName: 'PK_google_calendar_appointment' })
  installationId: string;

  @PrimaryColumn({ name: 'calendar_id', type: 'text', primaryKeyConstraintName: 'PK_google_calendar_appointment' })
  calendarId: string;

  /** Google's event id (for an instance of a recurring event, the instance's id). */
  @PrimaryColumn({ name: 'event_id', type: 'text', primaryKeyConstraintName: 'PK_google_calendar_appointment' })
  eventId: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_google_calendar_appointment_workspace' })
  workspace?: Workspace;

  @ManyToOne('PluginInstallation', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'installation_id', foreignKeyConstraintName: 'FK_google_calendar_appointment_installation' })
  installation?: unknown;

  @Column({ type: 'text' })
  state: AppointmentState;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt: Date | null;

  /** The client the appointment was announced for; later moves and cancellations address them. */
  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId: string | null;

  @ManyToOne('Contact', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'FK_google_calendar_appointment_contact' })
  contact?: unknown;

  /** Google's etag of the version last seen. */
  @Column({ type: 'text', nullable: true })
  etag: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

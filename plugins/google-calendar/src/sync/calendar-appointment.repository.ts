import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, EntityManager, In, LessThan, Repository } from 'typeorm';
import type { RememberedAppointment } from './appointment-diff';
import { GoogleCalendarAppointment } from './calendar-appointment.entity';

export interface CalendarScope {
  workspaceId: string;
  installationId: string;
  calendarId: string;
}

/** The queries on google_calendar_appointment; each takes the calendar's scope (workspace included). */
@Injectable()
export class CalendarAppointmentRepository {
  constructor(@InjectRepository(GoogleCalendarAppointment) private readonly rows: Repository<GoogleCalendarAppointment>) {}

  /** What was announced for these events, by event id, in one query. */
  async findMany(manager: EntityManager, scope: CalendarScope, eventIds: string[]): Promise<Map<string, RememberedAppointment>> {
    if (eventIds.length === 0) return new Map();
    const found = await manager.find(GoogleCalendarAppointment, { where: { ...scope, eventId: In(eventIds) } });
    return new Map(found.map((row) => [row.eventId, row]));
  }

  /** Booked appointments starting in (from, to). */
  bookedBetween(manager: EntityManager, scope: CalendarScope, from: Date, to: Date): Promise<RememberedAppointment[]> {
    return manager.find(GoogleCalendarAppointment, { where: { ...scope, state: 'booked', startsAt: Between(from, to) } });
  }

  /**
   * Booked appointments of one installation that ended in (from, to] — an appointment without an
   * end ends when it starts — and that have a client to address.
   */
  endedBetween(workspaceId: string, installationId: string, from: Date, to: Date): Promise<GoogleCalendarAppointment[]> {
    return this.rows
      .createQueryBuilder('a')
      .where('a.workspace_id = :workspaceId AND a.installation_id = :installationId', { workspaceId, installationId })
      .andWhere(`a.state = 'booked' AND a.contact_id IS NOT NULL`)
      .andWhere('COALESCE(a.ends_at, a.starts_at) > :from AND COALESCE(a.ends_at, a.starts_at) <= :to', { from, to })
      .orderBy('a.starts_at', 'ASC')
      .getMany();
  }

  /** Inserts or replaces in one statement. */
  async upsertMany(manager: EntityManager, scope: CalendarScope, rows: RememberedAppointment[]): Promise<void> {
    if (rows.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(GoogleCalendarAppointment)
      .values(rows.map((r) => ({ ...scope, eventId: r.eventId, state: r.state, startsAt: r.startsAt, endsAt: r.endsAt, contactId: r.contactId, etag: r.etag })))
      .orUpdate(['state', 'starts_at', 'ends_at', 'contact_id', 'etag', 'updated_at'], ['installation_id', 'calendar_id', 'event_id'])
      .execute();
  }

  /** For tests and the status: what is remembered for one installation. */
  list(workspaceId: string, installationId: string): Promise<GoogleCalendarAppointment[]> {
    return this.rows.find({ where: { workspaceId, installationId }, order: { startsAt: 'ASC' } });
  }

  /** Forgets appointments that ended long ago (housekeeping, across workspaces). */
  async pruneStartedBefore(cutoff: Date): Promise<number> {
    const result = await this.rows.delete({ startsAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}

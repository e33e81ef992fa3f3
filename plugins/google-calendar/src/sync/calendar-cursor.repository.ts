import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Not, Repository } from 'typeorm';
import { GoogleCalendarAppointment } from './calendar-appointment.entity';
import { GoogleCalendarCursor } from './calendar-cursor.entity';

/** The queries on google_calendar_cursor, scoped by workspace and installation. */
@Injectable()
export class CalendarCursorRepository {
  constructor(
    @InjectRepository(GoogleCalendarCursor) private readonly rows: Repository<GoogleCalendarCursor>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Makes sure each watched calendar has a cursor; existing ones are left as they are. */
  async ensure(workspaceId: string, installationId: string, calendarIds: string[]): Promise<void> {
    if (calendarIds.length === 0) return;
    await this.rows
      .createQueryBuilder()
      .insert()
      .values(calendarIds.map((calendarId) => ({ workspaceId, installationId, calendarId, syncToken: null, fullSyncedAt: null, syncedAt: null })))
      .orIgnore()
      .execute();
  }

  list(workspaceId: string, installationId: string): Promise<GoogleCalendarCursor[]> {
    return this.rows.find({ where: { workspaceId, installationId }, order: { calendarId: 'ASC' } });
  }

  /**
   * Forgets calendars that are no longer watched, with what was remembered about their
   * appointments: if one is added again, its events count as pre-existing.
   */
  async removeOthers(workspaceId: string, installationId: string, keep: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const others = { workspaceId, installationId, calendarId: Not(In(keep.length > 0 ? keep : [''])) };
      await manager.delete(GoogleCalendarAppointment, others);
      await manager.delete(GoogleCalendarCursor, others);
    });
  }

  /** After a disable: the next enable starts with a full sync whose events count as pre-existing. */
  async reset(workspaceId: string, installationId: string): Promise<void> {
    await this.rows.update({ workspaceId, installationId }, { syncToken: null, fullSyncedAt: null });
  }

  /**
   * Runs `work` in a transaction holding the calendar's cursor row locked, so one calendar is
   * synced by one job at a time across every worker process. `cursor` is null when the calendar
   * is not (or no longer) watched.
   */
  withLock<T>(workspaceId: string, installationId: string, calendarId: string, work: (manager: EntityManager, cursor: GoogleCalendarCursor | null) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const cursor = await manager.getRepository(GoogleCalendarCursor).findOne({
        where: { workspaceId, installationId, calendarId },
        lock: { mode: 'pessimistic_write' },
      });
      return work(manager, cursor);
    });
  }

  async save(manager: EntityManager, cursor: GoogleCalendarCursor): Promise<void> {
    await manager.update(
      GoogleCalendarCursor,
      { workspaceId: cursor.workspaceId, installationId: cursor.installationId, calendarId: cursor.calendarId },
      { syncToken: cursor.syncToken, fullSyncedAt: cursor.fullSyncedAt, syncedAt: cursor.syncedAt },
    );
  }

  /**
   * Every cursor of every workspace, for the maintenance job (the one cross-workspace read:
   * housekeeping acts per installation afterwards).
   */
  all(): Promise<GoogleCalendarCursor[]> {
    return this.rows.find({ order: { installationId: 'ASC', calendarId: 'ASC' } });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { Clock, JobQueue } from '@optline/core';
import { PluginHost } from '@optline/plugin-sdk';
import { WatchChannelService } from '../channels/watch-channel.service';
import { GOOGLE_CALENDAR_PLUGIN_ID, GoogleCalendarConfig } from '../config/google-calendar.config';
import { AppointmentCompletionService } from '../sync/appointment-completion.service';
import { CalendarAppointmentRepository } from '../sync/calendar-appointment.repository';
import { CalendarCursorRepository } from '../sync/calendar-cursor.repository';
import type { GoogleCalendarCursor } from '../sync/calendar-cursor.entity';

/** Notifications are not fully reliable: a calendar quiet for this long is synced anyway. */
export const PERIODIC_SYNC_MS = 15 * 60_000;
/** A full listing this often announces recurring instances entering the horizon and heals drift. */
export const FULL_SYNC_MS = 24 * 3600_000;
/** Remembered appointments are forgotten this long after they started. */
export const FORGET_AFTER_MS = 7 * 24 * 3600_000;

export interface MaintenanceReport {
  installations: number;
  channelsOpened: number;
  channelsStopped: number;
  syncsQueued: number;
  pruned: number;
  /** appointment.completed events stored by this pass. */
  completed: number;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Housekeeping for every installation (the `google-calendar.maintain` job): channels renewed
 * before they expire, ended appointments announced (`appointment.completed`), periodic
 * incremental and daily full syncs queued, old appointments pruned.
 */
@Injectable()
export class GoogleCalendarMaintenance {
  private readonly logger = new Logger(GoogleCalendarMaintenance.name);

  constructor(
    private readonly host: PluginHost,
    private readonly channels: WatchChannelService,
    private readonly cursors: CalendarCursorRepository,
    private readonly appointments: CalendarAppointmentRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly completions: AppointmentCompletionService,
  ) {}

  async run(): Promise<MaintenanceReport> {
    const now = this.clock.now();
    const report: MaintenanceReport = { installations: 0, channelsOpened: 0, channelsStopped: 0, syncsQueued: 0, pruned: 0, completed: 0 };
    for (const [installationId, cursors] of groupByInstallation(await this.cursors.all())) {
      const installation = await this.host.installation<GoogleCalendarConfig>(GOOGLE_CALENDAR_PLUGIN_ID, installationId);
      if (!installation?.enabled) continue;
      report.installations += 1;
      try {
        const channels = await this.channels.reconcile(installation, false);
        report.channelsOpened += channels.opened.length;
        report.channelsStopped += channels.stopped.length;
      } catch (error) {
        this.logger.warn({ err: error, installationId }, 'channel renewal failed');
        await this.host.reportError(installation, 'channel-renewal', messageOf(error));
      }
      try {
        report.completed += await this.completions.announceEnded(installation);
      } catch (error) {
        this.logger.warn({ err: error, installationId }, 'announcing completed appointments failed');
        await this.host.reportError(installation, 'appointment-completion', messageOf(error));
      }
      for (const cursor of cursors) {
        const full = !cursor.fullSyncedAt || now.getTime() - cursor.fullSyncedAt.getTime() >= FULL_SYNC_MS;
        const quiet = !cursor.syncedAt || now.getTime() - cursor.syncedAt.getTime() >= PERIODIC_SYNC_MS;
        if (!full && !quiet) continue;
        await this.jobs.enqueue(
          'google-calendar.sync',
          { workspaceId: cursor.workspaceId, installationId, calendarId: cursor.calendarId, full },
          { attempt: `periodic:${Math.floor(now.getTime() / PERIODIC_SYNC_MS)}` },
        );
        report.syncsQueued += 1;
      }
    }
    report.pruned = await this.appointments.pruneStartedBefore(new Date(now.getTime() - FORGET_AFTER_MS));
    return report;
  }
}

function groupByInstallation(cursors: GoogleCalendarCursor[]): Map<string, GoogleCalendarCursor[]> {
  const groups = new Map<string, GoogleCalendarCursor[]>();
  for (const cursor of cursors) groups.set(cursor.installationId, [...(groups.get(cursor.installationId) ?? []), cursor]);
  return groups;
}

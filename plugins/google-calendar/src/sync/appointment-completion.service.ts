import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@optline/core';
import { InstallationContext, PluginHost } from '@optline/plugin-sdk';
import type { GoogleCalendarConfig } from '../config/google-calendar.config';
import { Announcement, toCanonicalEvent } from './appointment-events';
import { CalendarAppointmentRepository } from './calendar-appointment.repository';
import { ClientResolver } from './client-resolver.service';

/**
 * How far back housekeeping looks for appointments that ended. Each pass announces every one in
 * this window again; the event store keeps one per appointment and end time (the dedupe key), so
 * a late or missed pass loses nothing within a day.
 */
export const COMPLETION_LOOKBACK_MS = 24 * 3600_000;

/**
 * `appointment.completed` (docs/decisions/0168): when a booked appointment's end has passed, the
 * calendar says nothing — no notification comes — so the plugin's housekeeping announces it, for
 * post-service follow-ups. A cancelled or moved appointment is not completed at its old time: only
 * rows still `booked`, at their remembered times, are announced.
 */
@Injectable()
export class AppointmentCompletionService {
  private readonly logger = new Logger(AppointmentCompletionService.name);

  constructor(
    private readonly appointments: CalendarAppointmentRepository,
    private readonly resolver: ClientResolver,
    private readonly host: PluginHost,
    private readonly clock: Clock,
  ) {}

  /** Announces the appointments of one installation that ended lately; returns how many were new. */
  async announceEnded(installation: InstallationContext<GoogleCalendarConfig>): Promise<number> {
    const now = this.clock.now();
    const ended = await this.appointments.endedBetween(installation.workspaceId, installation.id, new Date(now.getTime() - COMPLETION_LOOKBACK_MS), now);
    const announcements: Announcement[] = [];
    for (const row of ended) {
      const client = await this.resolver.known(installation.workspaceId, row.contactId);
      if (!client) continue;
      const endedAt = row.endsAt ?? row.startsAt;
      announcements.push({
        type: 'appointment.completed',
        calendarId: row.calendarId,
        eventId: row.eventId,
        // One completion per appointment and end time: a later pass derives the same key.
        version: `ended-${endedAt.toISOString()}`,
        occurredAt: endedAt,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        attendeeTimeZone: client.hint.timeZone ?? null,
        businessTimeZone: installation.config.timeZone,
        contact: client.hint,
      });
    }
    if (announcements.length === 0) return 0;
    const { storedIds } = await this.host.emit(installation, announcements.map(toCanonicalEvent));
    if (storedIds.length > 0) this.logger.log({ installationId: installation.id, completed: storedIds.length }, 'appointments completed');
    return storedIds.length;
  }
}

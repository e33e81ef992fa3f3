import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@optline/core';
import { InstallationContext, PluginHost } from '@optline/plugin-sdk';
import { GoogleEvent, ListedEvents, SyncTokenExpiredError } from '../client/calendar-api';
import { GoogleCalendarClientFactory } from '../client/google-calendar-client.factory';
import type { GoogleCalendarConfig } from '../config/google-calendar.config';
import { decide, DiffWindow, RememberedAppointment, vanished } from './appointment-diff';
import { Announcement, toCanonicalEvent } from './appointment-events';
import { CalendarAppointmentRepository, CalendarScope } from './calendar-appointment.repository';
import { CalendarCursorRepository } from './calendar-cursor.repository';
import { explicitTimeZone, SeenEvent, toSeenEvent } from './calendar-event.mapper';
import { ClientResolver, ResolvedClient } from './client-resolver.service';

export type SyncMode = 'incremental' | 'full' | 'resync';

export interface SyncOutcome {
  calendarId: string;
  /** `resync`: the sync token had expired (410) and a full listing replaced it. */
  mode?: SyncMode;
  skipped?: 'not_watched' | 'disabled';
  seen?: number;
  booked?: number;
  rescheduled?: number;
  cancelled?: number;
  /** Events that looked like new appointments but named no reachable client. */
  withoutClient?: number;
  duplicates?: number;
}

const DAY_MS = 86_400_000;

/** What one listing leads to: the announcements and the rows to remember. */
interface Plan {
  announcements: Announcement[];
  remember: RememberedAppointment[];
  withoutClient: number;
}

/**
 * Brings Optline's view of one calendar up to date: lists what changed at Google (incrementally
 * with the sync token, or in full within the horizon), compares each event with what was
 * announced for it, announces bookings, moves and cancellations through the PluginHost, and
 * stores the new sync token with the remembered appointments in one transaction, under the
 * calendar's lock.
 */
@Injectable()
export class CalendarSyncService {
  private readonly logger = new Logger(CalendarSyncService.name);

  constructor(
    private readonly clients: GoogleCalendarClientFactory,
    private readonly cursors: CalendarCursorRepository,
    private readonly appointments: CalendarAppointmentRepository,
    private readonly resolver: ClientResolver,
    private readonly host: PluginHost,
    private readonly clock: Clock,
  ) {}

  async sync(installation: InstallationContext<GoogleCalendarConfig>, calendarId: string, requestFull = false): Promise<SyncOutcome> {
    if (!installation.enabled) return { calendarId, skipped: 'disabled' };
    const api = this.clients.forInstallation(installation);
    const { defaultCountry } = await this.host.workspace(installation.workspaceId);
    const scope: CalendarScope = { workspaceId: installation.workspaceId, installationId: installation.id, calendarId };

    return this.cursors.withLock(scope.workspaceId, scope.installationId, calendarId, async (manager, cursor) => {
      if (!cursor) return { calendarId, skipped: 'not_watched' as const };
      const now = this.clock.now();
      const window: DiffWindow = { now, horizonEnd: new Date(now.getTime() + installation.config.horizonDays * DAY_MS) };
      const firstSync = cursor.fullSyncedAt === null;

      let mode: SyncMode = requestFull || !cursor.syncToken ? 'full' : 'incremental';
      let listing: ListedEvents | null = null;
      if (mode === 'incremental') {
        try {
          listing = await api.listChanges(calendarId, cursor.syncToken as string);
        } catch (error) {
          if (!(error instanceof SyncTokenExpiredError)) throw error;
          // 410 Gone: the token is wiped and replaced by a full listing. Remembered appointments
          // make the full listing announce only what really changed: no duplicate confirmations.
          this.logger.log({ installationId: installation.id, calendarId }, 'sync token expired; full resync');
          mode = 'resync';
        }
      }
      if (!listing) listing = await api.listWindow(calendarId, now, window.horizonEnd);

      const seen = latestById(listing.items);
      const remembered = await this.appointments.findMany(manager, scope, [...seen.keys()]);
      const plan = await this.plan(installation, scope, seen, remembered, window, { defaultCountry, preexisting: firstSync });
      if (mode !== 'incremental') {
        const gone = vanished(await this.appointments.bookedBetween(manager, scope, now, window.horizonEnd), new Set(seen.keys()), window);
        for (const r of gone) await this.cancel(installation, scope, r, `gone-${r.etag ?? r.startsAt.toISOString()}`, now, plan);
      }

      let duplicates = 0;
      if (plan.announcements.length > 0) {
        // Stored (deduplicated by version) before the token moves: if this transaction fails,
        // the next sync derives the same keys and the store keeps one of each.
        duplicates = (await this.host.emit(installation, plan.announcements.map(toCanonicalEvent))).duplicates;
      }
      await this.appointments.upsertMany(manager, scope, plan.remember);
      cursor.syncToken = listing.nextSyncToken;
      cursor.syncedAt = now;
      if (mode !== 'incremental') cursor.fullSyncedAt = now;
      await this.cursors.save(manager, cursor);

      const count = (type: Announcement['type']) => plan.announcements.filter((a) => a.type === type).length;
      return {
        calendarId,
        mode,
        seen: seen.size,
        booked: count('appointment.booked'),
        rescheduled: count('appointment.rescheduled'),
        cancelled: count('appointment.cancelled'),
        withoutClient: plan.withoutClient,
        duplicates,
      };
    });
  }

  private async plan(
    installation: InstallationContext<GoogleCalendarConfig>,
    scope: CalendarScope,
    seen: Map<string, SeenEvent>,
    remembered: Map<string, RememberedAppointment>,
    window: DiffWindow,
    context: { defaultCountry: string; preexisting: boolean },
  ): Promise<Plan> {
    const plan: Plan = { announcements: [], remember: [], withoutClient: 0 };
    const businessTimeZone = installation.config.timeZone;
    for (const event of seen.values()) {
      const previous = remembered.get(event.eventId);
      const decision = decide(previous, event, window);
      const version = event.etag ?? event.updatedAt?.toISOString() ?? 'v0';
      const occurredAt = event.updatedAt ?? window.now;
      const attendeeTimeZone = explicitTimeZone(event, installation.config.timeZoneProperty);
      const details = { summary: event.summary, location: event.location, recurringEventId: event.recurringEventId, attendeeTimeZone, businessTimeZone };

      if (decision.kind === 'book') {
        const client = await this.resolver.resolve(installation, event, context.defaultCountry);
        if (!client) {
          plan.withoutClient += 1;
          continue;
        }
        plan.announcements.push({
          type: 'appointment.booked',
          ...scopeOf(scope, event, version, occurredAt),
          startsAt: event.startsAt as Date,
          endsAt: event.endsAt,
          ...details,
          preexisting: context.preexisting,
          contact: client.hint,
        });
        plan.remember.push(rememberBooked(event, client.contactId));
      } else if (decision.kind === 'reschedule') {
        const client = (await this.resolver.known(scope.workspaceId, previous?.contactId ?? null)) ?? (await this.resolver.resolve(installation, event, context.defaultCountry));
        plan.announcements.push({
          type: 'appointment.rescheduled',
          ...scopeOf(scope, event, version, occurredAt),
          startsAt: event.startsAt as Date,
          endsAt: event.endsAt,
          previousStartsAt: decision.previousStartsAt,
          ...details,
          contact: client?.hint ?? null,
        });
        plan.remember.push(rememberBooked(event, client?.contactId ?? previous?.contactId ?? null));
      } else if (decision.kind === 'cancel' && previous) {
        await this.cancel(installation, scope, previous, version, occurredAt, plan);
      } else if (decision.kind === 'refresh' && previous) {
        plan.remember.push(
          event.cancelled
            ? { ...previous, state: 'cancelled', etag: event.etag }
            : { ...previous, startsAt: event.startsAt as Date, endsAt: event.endsAt, etag: event.etag },
        );
      }
    }
    return plan;
  }

  private async cancel(
    installation: InstallationContext<GoogleCalendarConfig>,
    scope: CalendarScope,
    previous: RememberedAppointment,
    version: string,
    occurredAt: Date,
    plan: Plan,
  ): Promise<void> {
    const client: ResolvedClient | null = await this.resolver.known(scope.workspaceId, previous.contactId);
    plan.announcements.push({
      type: 'appointment.cancelled',
      calendarId: scope.calendarId,
      eventId: previous.eventId,
      version,
      occurredAt,
      startsAt: previous.startsAt,
      endsAt: previous.endsAt,
      attendeeTimeZone: client?.hint.timeZone ?? null,
      businessTimeZone: installation.config.timeZone,
      contact: client?.hint ?? null,
    });
    plan.remember.push({ ...previous, state: 'cancelled', etag: version });
  }
}

function scopeOf(scope: CalendarScope, event: SeenEvent, version: string, occurredAt: Date) {
  return { calendarId: scope.calendarId, eventId: event.eventId, version, occurredAt };
}

function rememberBooked(event: SeenEvent, contactId: string | null): RememberedAppointment {
  return { eventId: event.eventId, state: 'booked', startsAt: event.startsAt as Date, endsAt: event.endsAt, contactId, etag: event.etag };
}

/** The events of a listing by id; when an event appears twice (across pages), the later wins. */
function latestById(items: GoogleEvent[]): Map<string, SeenEvent> {
  const byId = new Map<string, SeenEvent>();
  for (const item of items) {
    const event = toSeenEvent(item);
    if (event) byId.set(event.eventId, event);
  }
  return byId;
}

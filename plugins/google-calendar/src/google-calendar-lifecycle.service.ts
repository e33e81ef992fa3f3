import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, DomainError, invalidField, JobQueue } from '@optline/core';
import type { InstallationContext, LifecycleResult } from '@optline/plugin-sdk';
import { GoogleCalendarApiError } from './client/calendar-api';
import { WatchChannelService } from './channels/watch-channel.service';
import type { GoogleCalendarConfig } from './config/google-calendar.config';
import { CalendarCursorRepository } from './sync/calendar-cursor.repository';

/**
 * How long after a first enable the initial full sync runs: the hub marks the installation
 * enabled only after `onEnable` returns, and events can only be announced for an enabled one.
 */
const INITIAL_SYNC_DELAY_MS = 1_000;

/**
 * Enable and disable: watch channels at Google, sync cursors here, and the initial full sync of
 * each newly watched calendar.
 */
@Injectable()
export class GoogleCalendarLifecycle {
  constructor(
    private readonly channels: WatchChannelService,
    private readonly cursors: CalendarCursorRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  /**
   * Idempotent (it also runs when the config of an enabled installation changes): opens a
   * channel for every watched calendar that has none, stops those of calendars no longer
   * watched, and queues a full sync for calendars never synced. A calendar Google refuses to
   * watch fails the whole call with the field named, and nothing is left open.
   */
  async enable(installation: InstallationContext<GoogleCalendarConfig>): Promise<LifecycleResult> {
    const { calendarIds } = installation.config;
    if (installation.config.authMethod === 'oauth' && !installation.config.oauthRefreshToken) {
      throw invalidField('config.oauthRefreshToken', 'Connect Google Calendar (it obtains the refresh token), or paste a refresh token', 'google_not_connected');
    }
    let channels;
    try {
      channels = (await this.channels.reconcile(installation, true)).channels;
    } catch (error) {
      throw explainEnableError(error, installation.config);
    }
    await this.cursors.ensure(installation.workspaceId, installation.id, calendarIds);
    await this.cursors.removeOthers(installation.workspaceId, installation.id, calendarIds);

    const now = this.clock.now();
    const runAt = new Date(now.getTime() + (installation.enabled ? 0 : INITIAL_SYNC_DELAY_MS));
    const neverSynced = (await this.cursors.list(installation.workspaceId, installation.id)).filter((c) => c.fullSyncedAt === null);
    // Each enable is an admin's deliberate act and gets its own first sync (a repeated id would
    // be swallowed by Bull while the previous enable's job is still kept).
    const attempt = `initial:${randomUUID()}`;
    for (const cursor of neverSynced) {
      await this.jobs.enqueue(
        'google-calendar.sync',
        { workspaceId: installation.workspaceId, installationId: installation.id, calendarId: cursor.calendarId, full: true },
        { attempt, runAt, now },
      );
    }
    return { state: { channels } };
  }

  /** Stops the channels (best effort) and resets the cursors; what was announced is remembered. */
  async disable(installation: InstallationContext<GoogleCalendarConfig>): Promise<LifecycleResult> {
    await this.channels.stopAll(installation);
    await this.cursors.reset(installation.workspaceId, installation.id);
    return { state: { channels: [] } };
  }
}

/** Turns Google's refusal into a message an admin can act on, naming the config field at fault. */
function explainEnableError(error: unknown, config: GoogleCalendarConfig): unknown {
  if (!(error instanceof GoogleCalendarApiError) || !error.permanent) return error;
  const credentialsField = config.authMethod === 'service_account' ? 'config.serviceAccountKey' : 'config.oauthRefreshToken';
  if (error.status === 401 || /invalid_grant|unauthorized_client|invalid_client/i.test(error.message)) {
    return invalidField(credentialsField, `Google refused these credentials: ${error.message}`, 'google_credentials_refused');
  }
  const calendarIndex = config.calendarIds.findIndex((id) => error.message.includes(` ${id}`));
  if (error.status === 403 || error.status === 404) {
    const field = calendarIndex >= 0 ? `config.calendarIds[${calendarIndex}]` : 'config.calendarIds';
    return invalidField(field, `Google Calendar did not let these credentials watch the calendar: ${error.message}`, 'google_calendar_not_accessible');
  }
  return new DomainError('unprocessable', 'google_calendar_watch_refused', `Google Calendar refused to set up notifications: ${error.message}`);
}

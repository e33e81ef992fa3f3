import { Injectable } from '@nestjs/common';
import { JobQueue } from '@optline/core';
import { CanonicalEvent, InstallationContext, LifecycleResult, OptlinePlugin, PayloadError, PluginRequest, VerifyResult } from '@optline/plugin-sdk';
import { findChannel, tokenMatches } from './channels/watch-channel';
import { GOOGLE_CALENDAR_PLUGIN_ID, GoogleCalendarConfig } from './config/google-calendar.config';
import { GoogleCalendarLifecycle } from './google-calendar-lifecycle.service';
import { APPOINTMENT_EVENT_TYPES } from './sync/appointment-events';

/** `X-Goog-Resource-State` values that mean "something changed, list it". */
const CHANGE_STATES = new Set(['exists', 'not_exists']);

/**
 * Google Calendar: appointments booked, moved and cancelled. Push notifications carry no body,
 * only "calendar X changed": the plugin checks the channel's secret token, acknowledges at once,
 * and a `google-calendar.sync` job lists the changes and announces them through the PluginHost
 * (see docs/decisions/0121).
 */
@Injectable()
export class GoogleCalendarPlugin implements OptlinePlugin<GoogleCalendarConfig> {
  readonly id = GOOGLE_CALENDAR_PLUGIN_ID;
  readonly name = 'Google Calendar';
  readonly description = 'Appointments booked, moved and cancelled in Google Calendar drive confirmations and reminders.';
  readonly emits = APPOINTMENT_EVENT_TYPES;
  readonly configClass = GoogleCalendarConfig;
  // Notifications have empty bodies; Google sends bursts when many events change at once.
  readonly ingress = { maxBodyBytes: 4 * 1024, requestsPerMinute: 1200 };

  constructor(
    private readonly lifecycle: GoogleCalendarLifecycle,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * The channel id must be one of the installation's channels, the token that channel's secret
   * (compared as SHA-256 digests in constant time), and the resource the one it watches.
   */
  verify(request: PluginRequest, installation: InstallationContext<GoogleCalendarConfig>): VerifyResult {
    const channelId = request.headers['x-goog-channel-id'];
    const token = request.headers['x-goog-channel-token'];
    if (!channelId || !token) return { ok: false, reason: 'X-Goog-Channel-ID or X-Goog-Channel-Token is missing' };
    const channel = findChannel(installation.state, channelId);
    if (!tokenMatches(channel, token)) return { ok: false, reason: channel ? `wrong channel token for channel ${channelId}` : `unknown channel ${channelId}` };
    const resourceId = request.headers['x-goog-resource-id'];
    if (resourceId && resourceId !== channel?.resourceId) return { ok: false, reason: `channel ${channelId} watches another resource` };
    return { ok: true };
  }

  /**
   * `sync` (sent when a channel opens) is acknowledged and ignored. A change queues a sync of the
   * channel's calendar whose job id is the channel id + message number, so Google's redelivery of
   * the same message is a no-op; the events themselves are emitted by that job.
   */
  async toEvents(request: PluginRequest, installation: InstallationContext<GoogleCalendarConfig>): Promise<CanonicalEvent[]> {
    const state = request.headers['x-goog-resource-state'];
    if (state === 'sync') return [];
    if (!state || !CHANGE_STATES.has(state)) throw new PayloadError(`unknown resource state "${state ?? ''}"`, 'X-Goog-Resource-State');
    const messageNumber = request.headers['x-goog-message-number'];
    if (!messageNumber || !/^\d{1,20}$/.test(messageNumber)) throw new PayloadError('must be a whole number', 'X-Goog-Message-Number');
    const channel = findChannel(installation.state, request.headers['x-goog-channel-id'] as string);
    if (!channel) throw new PayloadError('unknown channel', 'X-Goog-Channel-ID');
    await this.jobs.enqueue(
      'google-calendar.sync',
      { workspaceId: installation.workspaceId, installationId: installation.id, calendarId: channel.calendarId, full: false },
      { attempt: `${channel.id}:${messageNumber}` },
    );
    return [];
  }

  onEnable(installation: InstallationContext<GoogleCalendarConfig>): Promise<LifecycleResult> {
    return this.lifecycle.enable(installation);
  }

  onDisable(installation: InstallationContext<GoogleCalendarConfig>): Promise<LifecycleResult> {
    return this.lifecycle.disable(installation);
  }
}

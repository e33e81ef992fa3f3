import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@optline/core';
import { InstallationContext, PluginHost } from '@optline/plugin-sdk';
import { GoogleCalendarClientFactory } from '../client/google-calendar-client.factory';
import type { GoogleCalendarConfig } from '../config/google-calendar.config';
import { channelsOf, isRenewalDue, newChannelSecret, WatchChannel } from './watch-channel';

export interface ChannelReconciliation {
  /** The channels now in the installation's state. */
  channels: WatchChannel[];
  opened: WatchChannel[];
  stopped: WatchChannel[];
  /** Calendars whose channel could not be opened (lenient mode only). */
  failures: { calendarId: string; error: unknown }[];
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Opens, renews and stops the push-notification channels of an installation. Google channels
 * cannot be extended: a channel due for renewal is replaced by a new one, both are accepted while
 * they overlap, and only then is the old one stopped.
 */
@Injectable()
export class WatchChannelService {
  private readonly logger = new Logger(WatchChannelService.name);

  constructor(
    private readonly clients: GoogleCalendarClientFactory,
    private readonly host: PluginHost,
    private readonly clock: Clock,
  ) {}

  /**
   * Makes the channels match the config: each watched calendar gets a live channel at the
   * installation's current webhook URL; channels due for renewal are replaced; channels of
   * calendars no longer watched are stopped; expired ones are dropped. The state is saved with
   * old and new channels together before any old channel is stopped.
   *
   * @param strict on enable: the first calendar that cannot be watched undoes this call's new
   *   channels and throws, so the admin sees the problem. Otherwise (maintenance) failures are
   *   reported and the other calendars carry on.
   */
  async reconcile(installation: InstallationContext<GoogleCalendarConfig>, strict: boolean): Promise<ChannelReconciliation> {
    const now = this.clock.now();
    const watched = new Set(installation.config.calendarIds);
    const current = channelsOf(installation.state).filter((c) => !c.expiresAt || new Date(c.expiresAt) > now);
    const healthy = (c: WatchChannel) => watched.has(c.calendarId) && c.address === installation.webhookUrl && !isRenewalDue(c, now);

    const opened: WatchChannel[] = [];
    const failures: ChannelReconciliation['failures'] = [];
    for (const calendarId of installation.config.calendarIds) {
      if (current.some((c) => c.calendarId === calendarId && healthy(c))) continue;
      try {
        opened.push(await this.open(installation, calendarId));
      } catch (error) {
        if (strict) {
          await Promise.all(opened.map((c) => this.stopQuietly(installation, c)));
          throw error;
        }
        failures.push({ calendarId, error });
        await this.host.reportError(installation, 'channel-renewal', `could not watch ${calendarId}: ${messageOf(error)}`);
      }
    }

    // A channel is retired only once its calendar has a healthy replacement (or is no longer
    // watched): if opening the new one failed, the old one keeps delivering until it expires.
    const covered = (calendarId: string) => current.some((c) => c.calendarId === calendarId && healthy(c)) || opened.some((c) => c.calendarId === calendarId);
    const retired = current.filter((c) => !healthy(c) && (!watched.has(c.calendarId) || covered(c.calendarId)));
    const kept = current.filter((c) => !retired.includes(c));

    if (opened.length > 0) await this.host.updateState(installation, { channels: [...current, ...opened] });
    for (const channel of retired) await this.stopQuietly(installation, channel);
    const channels = [...kept, ...opened];
    if (retired.length > 0 || channels.length !== channelsOf(installation.state).length) await this.host.updateState(installation, { channels });
    return { channels, opened, stopped: retired, failures };
  }

  /** Stops every channel (on disable). Best effort: Google expires channels on its own anyway. */
  async stopAll(installation: InstallationContext<GoogleCalendarConfig>): Promise<number> {
    const channels = channelsOf(installation.state);
    for (const channel of channels) await this.stopQuietly(installation, channel);
    return channels.length;
  }

  /** Opens a channel; its token leaves the hub only in this call (the state keeps its hash). */
  private async open(installation: InstallationContext<GoogleCalendarConfig>, calendarId: string): Promise<WatchChannel> {
    const secret = newChannelSecret();
    const api = this.clients.forInstallation(installation);
    const opened = await api.watch(calendarId, { id: secret.id, token: secret.token, address: installation.webhookUrl });
    this.logger.log({ installationId: installation.id, calendarId, channelId: secret.id, expiresAt: opened.expiresAt }, 'watch channel opened');
    return {
      calendarId,
      id: secret.id,
      tokenHash: secret.tokenHash,
      resourceId: opened.resourceId,
      address: installation.webhookUrl,
      expiresAt: opened.expiresAt ? opened.expiresAt.toISOString() : null,
      createdAt: this.clock.now().toISOString(),
    };
  }

  private async stopQuietly(installation: InstallationContext<GoogleCalendarConfig>, channel: WatchChannel): Promise<void> {
    try {
      await this.clients.forInstallation(installation).stop(channel);
    } catch (error) {
      this.logger.warn({ err: error, installationId: installation.id, channelId: channel.id }, 'could not stop a watch channel; it expires on its own');
    }
  }
}

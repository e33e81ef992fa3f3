import { Process, Processor } from '@nestjs/bull';
import { JobPayloads, QUEUES, validateObject } from '@optline/core';
import { PluginHost } from '@optline/plugin-sdk';
import type { Job } from 'bull';
import { Equals, IsBoolean, IsString, IsUUID, MaxLength } from 'class-validator';
import { GoogleCalendarApiError } from '../client/calendar-api';
import { GOOGLE_CALENDAR_PLUGIN_ID, GoogleCalendarConfig } from '../config/google-calendar.config';
import { GoogleCalendarMaintenance, MaintenanceReport } from '../maintenance/google-calendar-maintenance.service';
import { GoogleOAuthService } from '../oauth/google-oauth.service';
import { CalendarSyncService, SyncOutcome } from '../sync/calendar-sync.service';

class CalendarSyncPayload implements Pick<JobPayloads['google-calendar.sync'], 'workspaceId' | 'installationId' | 'calendarId' | 'full'> {
  @IsUUID()
  workspaceId: string;

  @IsUUID()
  installationId: string;

  @IsString()
  @MaxLength(255)
  calendarId: string;

  @IsBoolean()
  full: boolean;
}

class MaintainPayload implements Pick<JobPayloads['google-calendar.maintain'], 'scope'> {
  @Equals('all')
  scope: 'all';
}

/** The installation a job names is not enabled yet: the first sync was queued by `onEnable` just before the hub flipped the flag. */
class NotEnabledYetError extends Error {
  override name = 'NotEnabledYetError';
}

async function validOr<T extends object>(job: Job, cls: new () => T): Promise<T> {
  try {
    return validateObject(cls, job.data);
  } catch (error) {
    await job.discard();
    throw error;
  }
}

/** Queue 'plugin-tasks', job 'google-calendar.sync': one calendar's changes, announced. */
@Processor(QUEUES.pluginTasks)
export class GoogleCalendarSyncProcessor {
  constructor(
    private readonly sync: CalendarSyncService,
    private readonly host: PluginHost,
    private readonly oauth: GoogleOAuthService,
  ) {}

  @Process({ name: 'google-calendar.sync', concurrency: 2 })
  async handle(job: Job<JobPayloads['google-calendar.sync']>): Promise<SyncOutcome | { skipped: string }> {
    const payload = await validOr(job, CalendarSyncPayload);
    const installation = await this.host.installation<GoogleCalendarConfig>(GOOGLE_CALENDAR_PLUGIN_ID, payload.installationId);
    if (!installation || installation.workspaceId !== payload.workspaceId) return { skipped: 'installation_not_found' };
    if (!installation.enabled) {
      if (String(job.id).includes(':initial:')) throw new NotEnabledYetError('the installation is not enabled (yet); retrying');
      return { skipped: 'disabled' };
    }
    try {
      return await this.sync.sync(installation, payload.calendarId, payload.full);
    } catch (error) {
      if (error instanceof GoogleCalendarApiError && installation.config.authMethod === 'oauth' && /invalid_grant|expired or revoked/i.test(error.message)) {
        // The grant was revoked in the Google account (or the client deleted): disconnect with the reason, as the console's check does.
        await this.oauth.revoked(installation, (installation.state.connection as Parameters<GoogleOAuthService['revoked']>[1]) ?? null, error.message);
        await job.discard();
      } else if (error instanceof GoogleCalendarApiError) {
        await this.host.reportError(installation, 'sync', error.message);
        // Credentials revoked or calendar unshared: retrying will not help; the periodic sync
        // tries again once an admin fixes it.
        if (error.permanent) await job.discard();
      }
      throw error;
    }
  }
}

/** Queue 'maintenance', job 'google-calendar.maintain': renew channels, queue periodic syncs, prune. */
@Processor(QUEUES.maintenance)
export class GoogleCalendarMaintenanceProcessor {
  constructor(private readonly maintenance: GoogleCalendarMaintenance) {}

  @Process('google-calendar.maintain')
  async handle(job: Job<JobPayloads['google-calendar.maintain']>): Promise<MaintenanceReport> {
    await validOr(job, MaintainPayload);
    return this.maintenance.run();
  }
}

import { Module } from '@nestjs/common';
import { PluginSdkModule } from '@optline/plugin-sdk';
import { GoogleCalendarPluginModule } from './google-calendar.module';
import { GoogleCalendarMaintenanceProcessor, GoogleCalendarSyncProcessor } from './jobs/google-calendar.processors';
import { GoogleCalendarMaintenanceScheduler } from './maintenance/google-calendar-maintenance.scheduler';

/** The plugin's Bull processors and the maintenance scheduler (worker processes only). */
@Module({
  imports: [PluginSdkModule, GoogleCalendarPluginModule],
  providers: [GoogleCalendarSyncProcessor, GoogleCalendarMaintenanceProcessor, GoogleCalendarMaintenanceScheduler],
})
export class GoogleCalendarWorkerModule {}

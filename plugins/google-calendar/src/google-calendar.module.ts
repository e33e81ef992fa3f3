import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PluginRegistry, PluginSdkModule } from '@optline/plugin-sdk';
import { WatchChannelService } from './channels/watch-channel.service';
import { GoogleCalendarClientFactory } from './client/google-calendar-client.factory';
import { GoogleCalendarLifecycle } from './google-calendar-lifecycle.service';
import { GoogleCalendarPlugin } from './google-calendar.plugin';
import { GoogleCalendarMaintenance } from './maintenance/google-calendar-maintenance.service';
import { AppointmentCompletionService } from './sync/appointment-completion.service';
import { GoogleCalendarAppointment } from './sync/calendar-appointment.entity';
import { CalendarAppointmentRepository } from './sync/calendar-appointment.repository';
import { GoogleCalendarCursor } from './sync/calendar-cursor.entity';
import { CalendarCursorRepository } from './sync/calendar-cursor.repository';
import { CalendarSyncService } from './sync/calendar-sync.service';
import { GoogleCalendarConnectController, GoogleCalendarOAuthController } from './oauth/google-oauth.controller';
import { GoogleOAuthClient } from './oauth/google-oauth.client';
import { GoogleOAuthService } from './oauth/google-oauth.service';
import { ClientResolver } from './sync/client-resolver.service';

/**
 * The Google Calendar plugin: registers itself with the PluginRegistry and provides the sync,
 * channel and maintenance services its jobs use (processors are in GoogleCalendarWorkerModule).
 */
@Module({
  imports: [PluginSdkModule, TypeOrmModule.forFeature([GoogleCalendarCursor, GoogleCalendarAppointment])],
  controllers: [GoogleCalendarConnectController, GoogleCalendarOAuthController],
  providers: [
    GoogleOAuthClient,
    GoogleOAuthService,
    GoogleCalendarClientFactory,
    GoogleCalendarPlugin,
    GoogleCalendarLifecycle,
    WatchChannelService,
    CalendarCursorRepository,
    CalendarAppointmentRepository,
    ClientResolver,
    CalendarSyncService,
    GoogleCalendarMaintenance,
    AppointmentCompletionService,
  ],
  exports: [GoogleOAuthService, GoogleCalendarClientFactory, CalendarSyncService, GoogleCalendarMaintenance, CalendarAppointmentRepository, CalendarCursorRepository],
})
export class GoogleCalendarPluginModule implements OnModuleInit {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly plugin: GoogleCalendarPlugin,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.plugin);
  }
}

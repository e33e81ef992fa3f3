export * from './google-calendar.module';
export * from './google-calendar-worker.module';
export { GoogleCalendarClientFactory, createCalendarApi, type GoogleCalendarEndpoint } from './client/google-calendar-client.factory';
export { CalendarApi, SyncTokenExpiredError, GoogleCalendarApiError, type ListedEvents, type OpenedChannel } from './client/calendar-api';
export { staticTokenAuth, credentialsAuth, type GoogleAuthClient } from './client/google-auth';
export { GoogleCalendarConfig, GOOGLE_CALENDAR_PLUGIN_ID, PHONE_SOURCES, type PhoneSource, GOOGLE_AUTH_METHODS, type GoogleAuthMethod } from './config/google-calendar.config';
export { CalendarAppointmentRepository } from './sync/calendar-appointment.repository';
export { CalendarCursorRepository } from './sync/calendar-cursor.repository';
export type { WatchChannel } from './channels/watch-channel';

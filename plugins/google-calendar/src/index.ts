export * from './google-calendar.module';

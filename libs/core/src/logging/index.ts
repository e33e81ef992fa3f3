export * from './mask';
export * from './error-for-log';
export * from './logging.module';
export * from './quiet-startup-logger';

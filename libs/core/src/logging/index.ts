export * from './mask';
export * from './error-for-log';
export * from './logging.module';

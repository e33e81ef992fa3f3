export * from './mask';
export * from './logging.module';

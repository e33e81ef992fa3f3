export * from './flows.module';

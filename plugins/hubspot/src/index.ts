export * from './hubspot.module';

export * from './consent.module';
export * from './keywords';

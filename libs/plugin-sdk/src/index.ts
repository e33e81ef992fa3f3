export * from './plugin-sdk.module';

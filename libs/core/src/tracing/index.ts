export * from './tracing.service';
export * from './tracing.module';

export * from './batch-coalescer';

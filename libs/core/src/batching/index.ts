export * from './batch-coalescer';
export * from './keyed-memo';

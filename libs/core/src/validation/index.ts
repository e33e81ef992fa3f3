export * from './decorators';
export * from './validate-object';

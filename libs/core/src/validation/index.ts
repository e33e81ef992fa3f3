export * from './decorators';
export * from './validate-object';
export * from './time-zones';

export * from './decorators';
export * from './validate-object';
export * from './time-zones';
export * from './nul-characters';

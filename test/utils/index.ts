export * from './test-database';
export * from './test-hub';
export * from './wait';
export * from './free-port';

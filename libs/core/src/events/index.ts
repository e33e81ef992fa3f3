export * from './domain-events';
export * from './domain-event-bus';

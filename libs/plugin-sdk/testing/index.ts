export * from './signed-json-test.plugin';

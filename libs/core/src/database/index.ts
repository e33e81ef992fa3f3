export * from './database.module';
export * from './prepare-database';
export { MIGRATIONS } from './migrations';
export * from './prepared-query';

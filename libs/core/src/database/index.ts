export * from './database.module';
export * from './prepare-database';
export { MIGRATIONS } from './migrations';

export * from './api-key.entity';
export * from './api-key.service';
export * from './auth-context';
export * from './permissions';

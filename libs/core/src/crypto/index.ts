export * from './secret-box';
export * from './crypto.module';
export * from './preference-links';
export * from './standard-webhooks';
export * from './canonical-json';

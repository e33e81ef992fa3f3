export * from './shopify.module';

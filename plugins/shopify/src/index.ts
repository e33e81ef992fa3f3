export * from './shopify.module';
export { ShopifyPlugin, SHOPIFY_PLUGIN_ID } from './shopify.plugin';
export { ShopifyConfig } from './config/shopify-config.dto';
export { ShopifyAdminEndpoint } from './admin/shopify-admin-endpoint';
export type { AdminBaseUrl } from './admin/shopify-admin-endpoint';
export { SUBSCRIBED_TOPICS, PRIVACY_TOPICS } from './mapping/shopify-topics';
export { shopifySignature } from './verification/shopify-signature';

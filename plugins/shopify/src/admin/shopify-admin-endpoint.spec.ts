import { loadAppConfig } from '@optline/core';
import { ShopifyAdminEndpoint } from './shopify-admin-endpoint';

describe('ShopifyAdminEndpoint address', () => {
  it('calls each shop itself unless SHOPIFY_ADMIN_URL points every shop at one server', () => {
    expect(new ShopifyAdminEndpoint(loadAppConfig({})).baseUrlFor('acme.myshopify.com')).toEqual({ protocol: 'https:', hostname: 'acme.myshopify.com' });
    expect(new ShopifyAdminEndpoint(loadAppConfig({ SHOPIFY_ADMIN_URL: 'http://127.0.0.1:4030' })).baseUrlFor('acme.myshopify.com')).toEqual({ protocol: 'http:', hostname: '127.0.0.1', port: 4030 });
  });
});

import { signShopifyQuery, verifyShopifyQuery } from './shopify-oauth-hmac';

describe('Shopify query HMAC', () => {
  // The example in Shopify's "Verify a request" documentation (secret "hush").
  const query = { code: '0907a61c0c8d55e99db179b68161bc00', shop: 'some-shop.myshopify.com', state: '0.6784241404160823', timestamp: '1337178173' };

  it('matches the documented hex digest over the sorted parameters without hmac', () => {
    expect(signShopifyQuery(query, 'hush')).toBe('700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf');
  });

  it('accepts the right secret and refuses a changed parameter or another secret', () => {
    const hmac = signShopifyQuery(query, 'hush');
    expect(verifyShopifyQuery({ ...query, hmac }, ['hush'])).toBe(true);
    expect(verifyShopifyQuery({ ...query, shop: 'other.myshopify.com', hmac }, ['hush'])).toBe(false);
    expect(verifyShopifyQuery({ ...query, hmac }, ['other'])).toBe(false);
    expect(verifyShopifyQuery({ ...query, hmac: 'zz' }, ['hush'])).toBe(false);
  });
});

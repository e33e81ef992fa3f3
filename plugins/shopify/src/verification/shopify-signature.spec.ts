import { SHOPIFY_VECTOR as vector } from '../../../../test/fakes/shopify-fixtures';
import { shopifySignature, verifyShopifySignature } from './shopify-signature';

describe('Shopify webhook signature', () => {
  const body = Buffer.from(vector.body, 'utf8');

  it('computes the published test vector', () => {
    expect(shopifySignature(vector.secret, body)).toBe(vector.expected);
  });

  it('accepts the vector and refuses a changed body, a changed signature or another secret', () => {
    expect(verifyShopifySignature(body, vector.expected, [vector.secret])).toBe(true);
    expect(verifyShopifySignature(Buffer.from(vector.body.replace('rosa', 'rose')), vector.expected, [vector.secret])).toBe(false);
    const flipped = Buffer.from(vector.expected, 'base64');
    flipped[0] ^= 1;
    expect(verifyShopifySignature(body, flipped.toString('base64'), [vector.secret])).toBe(false);
    expect(verifyShopifySignature(body, vector.expected, ['shpss_other'])).toBe(false);
  });

  it('accepts the previous secret during a rotation, in either position', () => {
    expect(verifyShopifySignature(body, vector.expected, ['shpss_new_secret', vector.secret])).toBe(true);
    expect(verifyShopifySignature(body, vector.expected, [vector.secret, 'shpss_new_secret'])).toBe(true);
  });

  it('refuses missing, empty, non-base64, hex and truncated headers without throwing', () => {
    const hex = Buffer.from(vector.expected, 'base64').toString('hex');
    for (const header of [undefined, '', '   ', 'not base64!', hex, vector.expected.slice(0, 20)]) {
      expect(verifyShopifySignature(body, header, [vector.secret])).toBe(false);
    }
    expect(verifyShopifySignature(body, vector.expected, [])).toBe(false);
  });

  it('verifies the exact bytes: re-serialised JSON does not pass', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(vector.body)));
    // JSON.parse rounds the 64-bit id, so the re-serialised body differs and must fail.
    expect(reserialised.equals(body)).toBe(false);
    expect(verifyShopifySignature(reserialised, vector.expected, [vector.secret])).toBe(false);
  });
});

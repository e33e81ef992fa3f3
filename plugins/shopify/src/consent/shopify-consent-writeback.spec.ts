import { decide } from './shopify-consent-writeback.service';

describe('which consent changes are written back to Shopify', () => {
  const base = { state: 'opted_out', messageType: 'marketing', externalIds: { shopify: '7390014201' } };
  it('sends a marketing opt-out of a known Shopify customer', () => {
    expect(decide(base, { twoWayConsentSync: true })).toBe('sent');
  });
  it('sends nothing otherwise, and says why', () => {
    expect(decide(base, { twoWayConsentSync: false })).toBe('sync_off');
    expect(decide({ ...base, state: 'opted_in' }, { twoWayConsentSync: true })).toBe('not_an_opt_out');
    expect(decide({ ...base, messageType: 'transactional' }, { twoWayConsentSync: true })).toBe('not_marketing');
    expect(decide({ ...base, externalIds: { hubspot: '1' } }, { twoWayConsentSync: true })).toBe('no_shopify_customer');
  });
});

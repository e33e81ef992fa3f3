import { ConfigError, loadAppConfig } from '@optline/core';
import { HubspotClientFactory } from './hubspot-client.factory';

describe('HubspotClientFactory addresses', () => {
  it("uses HubSpot's own API and consent page unless HUBSPOT_API_URL / HUBSPOT_APP_URL say otherwise", () => {
    expect(new HubspotClientFactory(loadAppConfig({})).options).toMatchObject({ basePath: 'https://api.hubapi.com', appUrl: 'https://app.hubspot.com' });
    const moved = new HubspotClientFactory(loadAppConfig({ HUBSPOT_API_URL: 'http://127.0.0.1:4010/', HUBSPOT_APP_URL: 'https://hubspot-proxy.internal' }));
    expect(moved.options).toMatchObject({ basePath: 'http://127.0.0.1:4010', appUrl: 'https://hubspot-proxy.internal' });
  });

  it('refuses an address that is not an http(s) origin, naming the variable', () => {
    expect(() => loadAppConfig({ HUBSPOT_API_URL: 'ftp://api.hubapi.com' })).toThrow(ConfigError);
    expect(() => loadAppConfig({ HUBSPOT_API_URL: 'https://api.hubapi.com/some/path' })).toThrow(/HUBSPOT_API_URL/);
  });
});

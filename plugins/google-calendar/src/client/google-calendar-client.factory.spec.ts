import { loadAppConfig } from '@optline/core';
import { GoogleCalendarClientFactory } from './google-calendar-client.factory';

describe('GoogleCalendarClientFactory addresses', () => {
  it("uses Google's endpoints unless GOOGLE_API_URL, GOOGLE_OAUTH_URL and GOOGLE_ACCOUNTS_URL say otherwise", () => {
    const google = new GoogleCalendarClientFactory(loadAppConfig({}));
    expect(google.oauthEndpoints).toEqual({ tokenUrl: 'https://oauth2.googleapis.com/token', revokeUrl: 'https://oauth2.googleapis.com/revoke' });
    expect(google.accountsUrl).toBe('https://accounts.google.com');
    expect(google.rootUrl).toBeUndefined();

    const moved = new GoogleCalendarClientFactory(loadAppConfig({ GOOGLE_API_URL: 'http://127.0.0.1:4020', GOOGLE_OAUTH_URL: 'http://127.0.0.1:4020/', GOOGLE_ACCOUNTS_URL: 'https://accounts.proxy.internal' }));
    expect(moved.rootUrl).toBe('http://127.0.0.1:4020/');
    expect(moved.oauthEndpoints).toEqual({ tokenUrl: 'http://127.0.0.1:4020/token', revokeUrl: 'http://127.0.0.1:4020/revoke' });
    expect(moved.accountsUrl).toBe('https://accounts.proxy.internal');
    // A test's useEndpoint keeps what it does not name.
    moved.useEndpoint({ rootUrl: 'http://127.0.0.1:5000/' });
    expect(moved.oauthEndpoints.tokenUrl).toBe('http://127.0.0.1:4020/token');
  });
});

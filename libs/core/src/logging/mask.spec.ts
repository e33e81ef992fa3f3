import { maskForLog, maskPreferenceTokensIn } from './mask';

describe('log masks', () => {
  const token = `${'A1b2C3'}${'x'.repeat(37)}.${'s'.repeat(22)}`;

  it('keeps only the first 6 characters of a preference token, in a URL or a message body', () => {
    expect(maskPreferenceTokensIn(`/p/${token}`)).toBe('/p/A1b2C3…');
    expect(maskPreferenceTokensIn(`Acme: change your texts at https://hub.test/p/${token} Reply STOP`)).toBe('Acme: change your texts at https://hub.test/p/A1b2C3… Reply STOP');
    expect(maskPreferenceTokensIn('/v1/contacts/3f0c1a52')).toBe('/v1/contacts/3f0c1a52');
  });

  it('masks phones and tokens together for request URLs', () => {
    expect(maskForLog(`/p/${token}?from=+14155550123`)).not.toMatch(/x{10}|5550123/);
  });
});

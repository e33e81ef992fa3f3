import { maskForLog, maskPhonesIn, maskPreferenceTokensIn } from './mask';

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

  describe('phones, and the ids that are not phones', () => {
    it('leaves UUIDs whole, even all-digit ones, so logs stay searchable by id', () => {
      expect(maskForLog('/v1/imports/71568125-5834-4dc2-9a1b-0c7a2f3c9d11')).toBe('/v1/imports/71568125-5834-4dc2-9a1b-0c7a2f3c9d11');
      expect(maskForLog('/v1/contacts/12345678-1234-4234-8234-123456789012/events')).toBe('/v1/contacts/12345678-1234-4234-8234-123456789012/events');
      expect(maskForLog('/hooks/shopify/5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11?from=2026-11-22T09:00:00Z')).toBe('/hooks/shopify/5b0f8c1e-7a4e-4c55-9a62-0c7a2f3c9d11?from=2026-11-22T09:00:00Z');
    });

    it('leaves other ids alone: API key prefixes, provider ids, long order numbers, dates, times', () => {
      for (const text of [
        'olk_1a2b3c4d_',
        'SM0123456789abcdef0123456789abcdef',
        '/admin/orders/5123456789012.json',
        'since=1764576000000',
        'from 2026-11-22 09:00:00 to 2026-11-23',
        'job sms.send:4155550101-attempt',
        'v1.2.3-4567890123',
      ]) {
        expect(maskForLog(text)).toBe(text);
      }
    });

    it('still masks phone numbers, written any usual way', () => {
      expect(maskPhonesIn('/v1/contacts/by-phone/+14155550123')).toBe('/v1/contacts/by-phone/+1415•••0123');
      expect(maskPhonesIn('/v1/contacts/by-phone/%2B14155550123')).toBe('/v1/contacts/by-phone/+1415•••0123');
      expect(maskPhonesIn('?phone=%2B447911123456&x=1')).toBe('?phone=+4479•••3456&x=1');
      expect(maskPhonesIn('call (415) 555-0101 now')).toBe('call (415•••0101 now');
      expect(maskPhonesIn('to 415.555.0101')).toBe('to 415•••0101');
      expect(maskPhonesIn('to 14155550101, ok')).toBe('to 141•••0101, ok');
      expect(maskPhonesIn('+33 6 12 34 56 78')).toBe('+3361•••5678');
      expect(maskForLog('/v1/contacts?phone=+14155550123&email=ana.garcia@example.com')).toBe('/v1/contacts?phone=+1415•••0123&email=a•••@example.com');
    });
  });
});

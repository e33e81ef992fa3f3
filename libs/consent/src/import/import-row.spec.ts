import { normalizeHeader, parseImportRow } from './import-row';

const context = { defaultCountry: 'US', defaultConsentTypes: ['marketing' as const], now: new Date('2026-11-22T12:00:00Z') };

describe('normalizeHeader', () => {
  it.each([
    ['Phone', 'phone'],
    ['First Name', 'first_name'],
    ['firstName', 'first_name'],
    ['consent-timestamp', 'consent_timestamp'],
    ['\uFEFFphone', 'phone'],
  ])('%s → %s', (raw, expected) => expect(normalizeHeader(raw)).toBe(expected));
});

describe('parseImportRow', () => {
  it('reads contact fields, external ids and leaves other columns as attributes', () => {
    const result = parseImportRow(
      { phone: '(415) 555-0100', first_name: 'Ada', email: 'ada@example.com', birthday: '1990-12-10', 'external_id.shopify': '77', tier: '' },
      context,
    );
    expect(result).toEqual({
      ok: true,
      row: {
        contact: { phone: '+14155550100', firstName: 'Ada', email: 'ada@example.com', attributes: { birthday: '1990-12-10' }, externalIds: { shopify: '77' } },
        consent: null,
      },
    });
  });

  it('reads a consent with its types, source and time', () => {
    const result = parseImportRow(
      { phone: '+14155550100', consent: 'Subscribed', consent_types: 'marketing;transactional', consent_source: 'web_form', consent_timestamp: '2025-03-01T10:00:00Z' },
      context,
    );
    expect(result.ok && result.row.consent).toEqual({
      state: 'opted_in',
      types: ['marketing', 'transactional'],
      source: 'web_form',
      occurredAt: new Date('2025-03-01T10:00:00Z'),
      evidence: null,
    });
  });

  it('treats N / no as "not opted in": no consent recorded', () => {
    const result = parseImportRow({ phone: '+14155550100', consent: 'N' }, context);
    expect(result.ok && result.row.consent).toBeNull();
  });

  it.each([
    [{ phone: '' }, 'phone is empty'],
    [{ phone: '555-01' }, 'phone "555-01" is not a valid number'],
    [{ phone: '+14155550100', email: 'nope' }, 'email "nope" is not a valid address'],
    [{ phone: '+14155550100', time_zone: 'Mars/Base' }, 'time_zone "Mars/Base" is not an IANA zone'],
    [{ phone: '+14155550100', consent: 'maybe' }, 'consent "maybe" is not understood (use opted_in, opted_out, pending, or leave empty)'],
    [{ phone: '+14155550100', consent: 'opted_in', consent_types: 'promo' }, 'consent_types "promo" is not marketing, transactional, conversational or all'],
    [{ phone: '+14155550100', consent: 'opted_in', consent_source: 'fax' }, expect.stringContaining('consent_source "fax" is not one of')],
    [{ phone: '+14155550100', consent: 'opted_in', consent_timestamp: 'yesterday' }, 'consent_timestamp "yesterday" is not a date (use ISO 8601)'],
    [{ phone: '+14155550100', consent: 'opted_in', consent_timestamp: '2030-01-01T00:00:00Z' }, 'consent_timestamp "2030-01-01T00:00:00Z" is in the future'],
  ])('refuses %j with a reason', (record, reason) => {
    expect(parseImportRow(record as Record<string, string>, context)).toEqual({ ok: false, reason });
  });
});

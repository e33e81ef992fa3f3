import { normalizeWrittenPhone, phoneInDescription } from './phone-extraction';

describe('phone extraction', () => {
  it('finds the number in the fixture description and in HTML descriptions', () => {
    expect(phoneInDescription('Patient mobile: +1 212 555 0199', 'US')).toBe('+12125550199');
    expect(phoneInDescription('Call <a href="tel:+12125550199">Dana</a><br>Room 3', 'US')).toBe('+12125550199');
    expect(phoneInDescription('Mobile: (212) 555-0199, back-up 415 555 0100', 'US')).toBe('+12125550199');
  });

  it('reads national numbers with the workspace country and refuses non-numbers', () => {
    expect(normalizeWrittenPhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(normalizeWrittenPhone('+12125550199', 'FR')).toBe('+12125550199');
    expect(normalizeWrittenPhone('not a phone', 'US')).toBeNull();
    expect(normalizeWrittenPhone('', 'US')).toBeNull();
    expect(phoneInDescription('Bring your insurance card. Room 12, floor 3.', 'US')).toBeNull();
    expect(phoneInDescription(null, 'US')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { countSegments } from './sms-segments';

describe('countSegments (carrier table)', () => {
  it.each([
    ['', 'GSM-7', 0, 0],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['{}'.repeat(40), 'GSM-7', 160, 1], // extension characters take two septets
    ['€'.repeat(81), 'GSM-7', 162, 2],
    ['Café à 5 €', 'GSM-7', 11, 1],
    ['Hi 😀', 'UCS-2', 5, 1], // an emoji is two UTF-16 units
    ['ç'.repeat(70), 'UCS-2', 70, 1], // lower-case ç is not GSM-7 (only Ç is)
    ['ç'.repeat(71), 'UCS-2', 71, 2],
    ['“quoted”', 'UCS-2', 8, 1], // smart quotes force UCS-2
  ] as const)('%j → %s, %i units, %i segments', (body, encoding, units, segments) => {
    const count = countSegments(body);
    expect([count.encoding, count.units, count.segments]).toEqual([encoding, units, segments]);
  });

  it('names the characters that forced UCS-2', () => {
    expect(countSegments('Thanks “Alex” 😀').nonGsm).toEqual(['“', '”', '😀']);
  });
});

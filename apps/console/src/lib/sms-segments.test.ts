import { describe, expect, it } from 'vitest';
import { countSegments } from './sms-segments';

describe('countSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 0],
    ['Hi Sam, your glasses are ready.', 'GSM-7', 31, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['€'.repeat(80), 'GSM-7', 160, 1], // extension characters take two septets
    ['€'.repeat(81), 'GSM-7', 162, 2],
    ['Prix: 5 € {promo}', 'GSM-7', 20, 1],
    ['Ça coûte 5 €', 'UCS-2', 12, 1], // û is not in GSM-7 (ù is)
    ['a'.repeat(70) + '✓', 'UCS-2', 71, 2],
    ['😀'.repeat(35), 'UCS-2', 70, 1], // a surrogate pair is two units
    ['😀'.repeat(36), 'UCS-2', 72, 2],
  ])('%j is %s, %i units, %i segments', (text, encoding, units, segments) => {
    const info = countSegments(text);
    expect(info).toMatchObject({ encoding, units, segments });
  });

  it('does not split an extension character or a surrogate pair across segments', () => {
    // 152 plain + € (2 septets) = 154 > 153: the € starts segment two.
    expect(countSegments('a'.repeat(152) + '€' + 'a'.repeat(10))).toMatchObject({ segments: 2, remaining: 153 - 12 });
    expect(countSegments('a'.repeat(66) + '😀' + 'a'.repeat(10))).toMatchObject({ segments: 2, remaining: 67 - 12 });
  });

  it('names the characters that forced UCS-2 and how much room is left', () => {
    expect(countSegments('Hello “Sam” 😀')).toMatchObject({ nonGsm: ['“', '”', '😀'], perSegment: 70, remaining: 70 - 14 });
    expect(countSegments('Hello')).toMatchObject({ nonGsm: [], perSegment: 160, remaining: 155 });
  });
});

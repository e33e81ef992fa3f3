import { countSegments } from './segments';

describe('countSegments (vectors from docs/compliance.md)', () => {
  it.each([
    ['160×a', 'a'.repeat(160), 1, 'GSM-7', 160],
    ['161×a', 'a'.repeat(161), 2, 'GSM-7', 161],
    ['306×a', 'a'.repeat(306), 2, 'GSM-7', 306],
    ['307×a', 'a'.repeat(307), 3, 'GSM-7', 307],
    ['159×a + €', 'a'.repeat(159) + '€', 2, 'GSM-7', 161],
    ['Olá', 'Olá', 1, 'UCS-2', 3],
    ['70×ж', 'ж'.repeat(70), 1, 'UCS-2', 70],
    ['71×ж', 'ж'.repeat(71), 2, 'UCS-2', 71],
    ['134×ж', 'ж'.repeat(134), 2, 'UCS-2', 134],
    ['135×ж', 'ж'.repeat(135), 3, 'UCS-2', 135],
    ['69×a + 😀', 'a'.repeat(69) + '😀', 2, 'UCS-2', 71],
  ])('%s', (_, body, segments, encoding, units) => {
    expect(countSegments(body)).toEqual({ segments, encoding, units });
  });

  it('counts every extension character double, and the GSM basic set single', () => {
    expect(countSegments('^{}\\[~]|€\f')).toEqual({ segments: 1, encoding: 'GSM-7', units: 20 });
    expect(countSegments('Ç@£$¥èéùìò_ΔÆß¿¡§ñü\n')).toMatchObject({ encoding: 'GSM-7', units: 20 });
  });

  it('switches the whole body to UCS-2 for one character outside GSM-7', () => {
    expect(countSegments('Ça va')).toMatchObject({ encoding: 'GSM-7' });
    expect(countSegments('ça va')).toMatchObject({ encoding: 'UCS-2' }); // lowercase ç is not GSM-7
    expect(countSegments('`code`')).toMatchObject({ encoding: 'UCS-2' });
    expect(countSegments('a'.repeat(100) + 'í')).toEqual({ segments: 2, encoding: 'UCS-2', units: 101 });
  });

  it('never splits an escape pair or a surrogate pair across segments', () => {
    // 152 septets then € (2) would straddle the 153 boundary: it moves to segment 2.
    expect(countSegments('a'.repeat(152) + '€' + 'a'.repeat(152)).segments).toBe(3);
    expect(countSegments('a'.repeat(151) + '€' + 'a'.repeat(153)).segments).toBe(2);
    // 66 units then an emoji (2 units) would straddle the 67 boundary.
    expect(countSegments('ж'.repeat(66) + '😀' + 'ж'.repeat(66)).segments).toBe(3);
  });

  it('treats an empty body as one GSM-7 segment', () => {
    expect(countSegments('')).toEqual({ segments: 1, encoding: 'GSM-7', units: 0 });
  });
});

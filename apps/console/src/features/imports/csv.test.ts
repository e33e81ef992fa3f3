import { describe, expect, it } from 'vitest';
import { countRows, guessColumn, mappedHeader, readHeader, splitCsvLine } from './csv';

describe('CSV column mapping', () => {
  it('guesses the hub column a header is read as', () => {
    expect(guessColumn('Mobile')).toBe('phone');
    expect(guessColumn('First Name')).toBe('first_name');
    expect(guessColumn('external_id.shopify')).toBe('external_id.shopify');
    expect(guessColumn('birthday')).toBe('');
  });
  it('splits quoted cells', () => {
    expect(splitCsvLine('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
  });
  it('renames mapped columns and keeps the rest as attributes', () => {
    expect(mappedHeader(['Cell', 'Given', 'tier'], ['phone', 'first_name', ''])).toBe('phone,first_name,tier');
  });
  it('reads the header and counts data rows', async () => {
    const file = new Blob(['\uFEFFCell,Given\r\n+14155550100,Ada\r\n+14155550101,Bo\r\n']);
    expect(await readHeader(file)).toEqual({ headers: ['Cell', 'Given'], headerBytes: 15 });
    expect(await countRows(file)).toBe(2);
    expect(await countRows(new Blob(['phone\n1\n2']))).toBe(2);
  });
});

import { parseShopifyJson, quoteUnsafeIntegers, shopifyId } from './shopify-json';

describe('parseShopifyJson', () => {
  it('keeps integers beyond 2^53 exact as strings and leaves safe numbers and strings alone', () => {
    const parsed = parseShopifyJson('{"id":603851970716743426,"n":42,"price":"1.50","f":1.5e3,"neg":-9007199254740993,"safe":9007199254740991}') as Record<string, unknown>;
    expect(parsed).toEqual({ id: '603851970716743426', n: 42, price: '1.50', f: 1500, neg: '-9007199254740993', safe: 9007199254740991 });
  });

  it('does not touch digits inside strings, even with escaped quotes', () => {
    const text = '{"note":"order \\"603851970716743426\\" ok","ids":[603851970716743426]}';
    expect(parseShopifyJson(text)).toEqual({ note: 'order "603851970716743426" ok', ids: ['603851970716743426'] });
    expect(quoteUnsafeIntegers('{"a":1}')).toBe('{"a":1}');
  });

  it('throws on text that is not JSON', () => {
    expect(() => parseShopifyJson('{"a":')).toThrow(SyntaxError);
  });

  it('reads ids from numbers, numeric strings and GraphQL gids', () => {
    expect(shopifyId(7390014201)).toBe('7390014201');
    expect(shopifyId('603851970716743426')).toBe('603851970716743426');
    expect(shopifyId('gid://shopify/Customer/7390014201')).toBe('7390014201');
    expect(shopifyId(null)).toBeNull();
    expect(shopifyId('abc')).toBeNull();
  });
});

/**
 * Reads a Shopify webhook body. Shopify ids are 64-bit integers and some exceed 2^53
 * (`603851970716743426` in Shopify's own samples), which `JSON.parse` silently rounds; an id
 * that is off by a few would write consent back to the wrong customer. Integers that are not
 * safe are turned into strings before parsing; everything else is plain JSON.
 *
 * @throws SyntaxError when the text is not JSON.
 */
export function parseShopifyJson(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** Wraps every integer literal outside strings whose value is not a safe JS integer in quotes. */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let i = 0;
  let copiedUpTo = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      // Skip the string, honouring escapes.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
      continue;
    }
    if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) {
      let end = i + 1;
      while (end < text.length && /[0-9eE.+-]/.test(text[end])) end++;
      const literal = text.slice(i, end);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(copiedUpTo, i) + `"${literal}"`;
        copiedUpTo = end;
      }
      i = end;
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** A Shopify id (number, numeric string, or `gid://shopify/Type/123`) as a decimal string, or null. */
export function shopifyId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(Math.trunc(value));
  if (typeof value === 'string') {
    const gid = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)/.exec(value);
    if (gid) return gid[1];
    if (/^\d+$/.test(value)) return value;
  }
  return null;
}

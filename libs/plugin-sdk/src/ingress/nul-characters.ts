import { nulFieldIn } from '@optline/core';

// The helpers live in core (every request edge refuses NUL the same way, decision 0073).
export { isNulRejection, NUL_MESSAGE, nulFieldIn } from '@optline/core';

const NUL_ESCAPE = Buffer.from('\\u0000');

/**
 * Where a JSON body holds a NUL, named as the vendor's field (`note`, `line_items[0].title`;
 * `body` for the body itself), or null when it holds none or is not JSON. A byte search first:
 * the parse runs only for bodies that have the escape.
 */
export function nulFieldInJsonBody(rawBody: Buffer): string | null {
  if (!rawBody.includes(NUL_ESCAPE)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return null; // not JSON: the plugin answers for it
  }
  return typeof parsed === 'string' ? nulFieldIn(parsed, 'body') : nulFieldIn(parsed, '');
}

/**
 * U+0000 is valid in JSON (`\u0000`) but Postgres stores it in neither text nor jsonb, so an
 * event carrying one can never be stored. The ingress answers 422 naming where it is rather than
 * letting the insert fail as a 500 (law 7; docs/decisions/0073).
 */
const NUL = '\u0000';
const NUL_ESCAPE = Buffer.from('\\u0000');

export const NUL_MESSAGE = 'contains a NUL character (\\u0000), which cannot be stored; remove it and send again';

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

/** The path of the first string or key under `value` (itself at `path`, '' for the root) that holds a NUL, or null. */
export function nulFieldIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (typeof value !== 'object' || value === null || value instanceof Date) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulFieldIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const name = key.replaceAll(NUL, '\\u0000');
    const at = path ? `${path}.${name}` : name;
    if (key.includes(NUL)) return at;
    const found = nulFieldIn(item, at);
    if (found) return found;
  }
  return null;
}

/** Postgres refusing a NUL: 22P05 in jsonb (`\u0000`), 22021 in text (byte 0x00). */
export function isNulRejection(error: unknown): boolean {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ?? (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return code === '22P05' || code === '22021';
}

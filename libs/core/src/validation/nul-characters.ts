import { ValidationFailedError } from '../errors/domain-error';

/**
 * U+0000 is valid in JSON (`\u0000`), in forms and query strings (`%00`), but Postgres stores it
 * in neither text nor jsonb. Every edge refuses it the same way: 422 `unprocessable_payload`
 * naming the field (docs/decisions/0073; 0151 for the request edges).
 */
const NUL = '\u0000';

export const NUL_MESSAGE = 'contains a NUL character (\\u0000), which cannot be stored; remove it and send again';

/** The path of the first string or key under `value` (itself at `path`, '' for the root) that holds a NUL, or null. */
export function nulFieldIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (typeof value !== 'object' || value === null || value instanceof Date || Buffer.isBuffer(value)) return null;
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

/** An unpaired UTF-16 surrogate: JSON's `"\ud800"` parses to one; it is not Unicode text, and validators (encodeURI) throw on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const LONE_SURROGATE_MESSAGE = 'contains an unpaired surrogate (\\ud800–\\udfff alone), which is not Unicode text; send valid UTF-8';

/** The path of the first string or key under `value` that holds an unpaired surrogate, or null. */
export function loneSurrogateFieldIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (typeof value !== 'object' || value === null || value instanceof Date || Buffer.isBuffer(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogateFieldIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (LONE_SURROGATE.test(key)) return at;
    const found = loneSurrogateFieldIn(item, at);
    if (found) return found;
  }
  return null;
}

/**
 * Throws the 422 naming the first field of `value` (`root` names `value` itself when it is a
 * string) that holds a NUL, or an unpaired surrogate — text no column can hold as sent, and on
 * which some validators throw instead of answering.
 */
export function refuseNulCharacters(value: unknown, root = ''): void {
  const field = nulFieldIn(value, root);
  if (field !== null) throw new ValidationFailedError([{ field: field || 'body', message: `${field || 'body'} ${NUL_MESSAGE}` }], 'unprocessable', 'unprocessable_payload');
  const surrogate = loneSurrogateFieldIn(value, root);
  if (surrogate !== null) {
    throw new ValidationFailedError([{ field: surrogate || 'body', message: `${surrogate || 'body'} ${LONE_SURROGATE_MESSAGE}` }], 'unprocessable', 'unprocessable_payload');
  }
}

/** Postgres refusing a NUL: 22P05 in jsonb (`\u0000`), 22021 in text (byte 0x00). */
export function isNulRejection(error: unknown): boolean {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ?? (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return code === '22P05' || code === '22021';
}

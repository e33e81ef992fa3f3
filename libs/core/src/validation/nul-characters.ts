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

/** Throws the 422 naming the first field of `value` that holds a NUL (`root` names `value` itself when it is a string). */
export function refuseNulCharacters(value: unknown, root = ''): void {
  const field = nulFieldIn(value, root);
  if (field !== null) throw new ValidationFailedError([{ field: field || 'body', message: `${field || 'body'} ${NUL_MESSAGE}` }], 'unprocessable', 'unprocessable_payload');
}

/** Postgres refusing a NUL: 22P05 in jsonb (`\u0000`), 22021 in text (byte 0x00). */
export function isNulRejection(error: unknown): boolean {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ?? (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return code === '22P05' || code === '22021';
}

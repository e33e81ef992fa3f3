/**
 * How deeply a request's JSON may nest. Real payloads (vendor webhooks, flow documents with
 * nested branches) stay far below it; a body nested thousands deep overflows the stack of
 * class-transformer and the validators, a 500 for the sender's mistake (docs/decisions/0150).
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether the JSON text in `bytes` opens more than `max` objects/arrays inside one another.
 * One pass over the bytes, before parsing, strings skipped; malformed JSON is left to the parser.
 */
export function jsonNestsDeeperThan(bytes: Uint8Array, max: number = MAX_JSON_DEPTH): boolean {
  // A body shorter than the depth cannot reach it: the common case costs one comparison.
  if (bytes.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** The error a body parser's `verify` hook throws for a body nested too deep; the exception filter answers it. */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  readonly expose = true;

  constructor(max: number = MAX_JSON_DEPTH) {
    super(`The JSON body nests objects or arrays more than ${max} levels deep`);
  }
}

import type { ConfigSchema } from '../../api/types';

/** What the hub answers in place of a secret that is set; sending it back (or leaving it out) keeps it. */
export const SECRET_MASK = '********';

export type FormValue = unknown;

/**
 * Reads what the catalogue's schema means. An `object` without properties is a value the
 * describer could not see into (e.g. a `string[]` declared only by its example): an example that
 * is a list makes it a list, anything else is edited as JSON.
 */
export function normalise(schema: ConfigSchema): ConfigSchema {
  if (schema.type !== 'object' || Object.keys(schema.properties ?? {}).length > 0) return schema;
  if (Array.isArray(schema.example)) return { ...schema, type: 'array', items: { type: typeof schema.example[0] === 'number' ? 'number' : 'string' } };
  return { ...schema, type: 'json' };
}

/** The form's starting value from the installed (masked) config: secrets start empty. */
export function initialValue(raw: ConfigSchema, config: unknown): FormValue {
  const schema = normalise(raw);
  if (schema.secret) return '';
  switch (schema.type) {
    case 'json':
      return config === undefined || config === null ? '' : JSON.stringify(config, null, 2);
    case 'object': {
      const source = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, sub]) => [key, initialValue(sub, source[key])]));
    }
    case 'array': {
      const items = Array.isArray(config) ? config : [];
      if (schema.items?.type === 'object') return items.map((item) => initialValue(schema.items!, item));
      return items.map(String).join('\n');
    }
    case 'boolean':
      return config === true;
    case 'number':
    case 'integer':
      return config === undefined || config === null ? '' : String(config);
    default:
      return config === undefined || config === null ? '' : String(config);
  }
}

/** A blank item for an array of objects. */
export function emptyItem(schema: ConfigSchema): FormValue {
  return initialValue(schema, undefined);
}

/**
 * The config to PUT: empty optional fields left out, numbers as numbers, one-per-line lists as
 * arrays, and a secret left blank left out so the hub keeps the stored one (write-only).
 */
export function toConfig(raw: ConfigSchema, value: FormValue): unknown {
  const schema = normalise(raw);
  if (schema.secret) return value === '' || value === SECRET_MASK ? undefined : value;
  switch (schema.type) {
    case 'json': {
      const text = String(value ?? '').trim();
      if (!text) return undefined;
      try {
        return JSON.parse(text);
      } catch {
        return text; // the hub names the field in its 422
      }
    }
    case 'object': {
      const source = (value ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        const converted = toConfig(sub, source[key]);
        if (converted !== undefined) out[key] = converted;
      }
      return out;
    }
    case 'array': {
      if (schema.items?.type === 'object') return ((value as unknown[]) ?? []).map((item) => toConfig(schema.items!, item));
      const lines = String(value ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length === 0) return undefined;
      return schema.items?.type === 'number' || schema.items?.type === 'integer' ? lines.map(Number) : lines;
    }
    case 'boolean':
      return value === true;
    case 'number':
    case 'integer':
      return value === '' || value === undefined ? undefined : Number(value);
    default:
      return value === '' || value === undefined ? undefined : value;
  }
}

/** `forms` → `Forms`, `allowedOrigins` → `Allowed origins`. */
export function labelOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

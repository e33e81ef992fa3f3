import { DECORATORS } from '@nestjs/swagger';
import { secretFieldsOf } from './secret.decorator';

/** A JSON-Schema-like description of a config class, for the catalogue and admin UIs. */
export interface ConfigSchema {
  type: 'object';
  required: string[];
  properties: Record<string, ConfigPropertySchema>;
}

export interface ConfigPropertySchema {
  type: string;
  description?: string;
  example?: unknown;
  enum?: unknown[];
  /** True for `@Secret()` fields: write-only, answered masked. */
  secret?: boolean;
  items?: ConfigPropertySchema | ConfigSchema;
  properties?: Record<string, ConfigPropertySchema>;
  required?: string[];
}

type Metadata = { type?: unknown; isArray?: boolean; required?: boolean; description?: string; example?: unknown; enum?: unknown[]; items?: { type?: string; enum?: unknown[] } };

const PRIMITIVES = new Map<unknown, string>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  [Date, 'string'],
  [Object, 'object'],
]);

function typeOf(meta: Metadata, depth: number): ConfigPropertySchema {
  if (typeof meta.type === 'function' && !PRIMITIVES.has(meta.type)) {
    const nested = describeConfig(meta.type as new () => object, depth + 1);
    return meta.isArray ? { type: 'array', items: nested } : { ...nested, type: 'object' };
  }
  const base = typeof meta.type === 'string' ? meta.type : (PRIMITIVES.get(meta.type) ?? 'string');
  if (meta.isArray) {
    const itemType = base === 'array' ? (meta.items?.type ?? 'string') : base;
    return { type: 'array', items: { type: itemType, ...(meta.items?.enum && { enum: meta.items.enum }), ...(meta.enum && { enum: meta.enum }) } };
  }
  return { type: base, ...(meta.enum && { enum: meta.enum }) };
}

/**
 * Describes a config DTO from its `@ApiProperty` metadata (which every DTO carries for OpenAPI)
 * plus the `@Secret()` marks, so the catalogue shows admins what to fill in.
 */
export function describeConfig(configClass: new () => object, depth = 0): ConfigSchema {
  const prototype = configClass.prototype as object;
  const names = ((Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, prototype) as string[] | undefined) ?? []).map((n) => n.replace(/^:/, ''));
  const secrets = new Set(depth === 0 ? secretFieldsOf(configClass) : []);
  const schema: ConfigSchema = { type: 'object', required: [], properties: {} };
  for (const name of names) {
    const meta = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, name) as Metadata | undefined) ?? {};
    if (meta.required !== false) schema.required.push(name);
    schema.properties[name] = {
      ...(depth < 4 ? typeOf(meta, depth) : { type: 'object' }),
      ...(meta.description && { description: meta.description }),
      ...(meta.example !== undefined && !secrets.has(name) && { example: meta.example }),
      ...(secrets.has(name) && { secret: true }),
    };
  }
  return schema;
}

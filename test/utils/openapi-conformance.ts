/**
 * Checks a real answer against the hub's own OpenAPI document: the operation is found by method
 * and path, the answer's status must be declared, and the body must match its schema — every
 * required property present, each value of the declared type (null only where nullable), enums
 * respected, and no property the document does not mention (so a field the code returns but the
 * contract omits is caught too). Small on purpose: the subset of OpenAPI 3.0 the hub emits.
 */
type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};

type Document = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  components?: { schemas?: Record<string, Schema> };
};

export class OpenApiConformance {
  private readonly templates: { regex: RegExp; path: string }[];

  constructor(private readonly document: Document) {
    this.templates = Object.keys(document.paths).map((path) => ({ path, regex: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  }

  /** Problems with this answer; empty when it is what the document promises. */
  problems(method: string, url: string, status: number, body: unknown, contentType = 'application/json'): string[] {
    const path = url.split('?')[0];
    // A literal path wins over a template (`/v1/disclosures/current` over `/v1/disclosures/{id}`).
    const match = this.templates.find((t) => t.path === path) ?? this.templates.find((t) => t.regex.test(path));
    const operation = match && this.document.paths[match.path][method.toLowerCase()];
    if (!operation) return [`${method} ${path}: not in the document`];
    const response = operation.responses[String(status)];
    if (!response) return [`${method} ${path}: answered ${status}, which the document does not declare (${Object.keys(operation.responses).join(', ')})`];
    const media = Object.keys(response.content ?? {}).find((type) => contentType.startsWith(type));
    if (!response.content) return body === undefined || body === '' || (typeof body === 'object' && body !== null && Object.keys(body).length === 0) ? [] : [`${method} ${path} ${status}: a body where none is declared`];
    if (!media) return [`${method} ${path} ${status}: ${contentType} is not a declared media type (${Object.keys(response.content).join(', ')})`];
    const errors: string[] = [];
    this.check(response.content[media].schema ?? {}, body, `${method} ${path} ${status} body`, errors);
    return errors;
  }

  private resolve(ref: string): Schema {
    const name = ref.replace('#/components/schemas/', '');
    const schema = this.document.components?.schemas?.[name];
    if (!schema) throw new Error(`unknown schema ${ref}`);
    return schema;
  }

  private check(schema: Schema, value: unknown, at: string, errors: string[]): void {
    if (schema.$ref) return this.check(this.resolve(schema.$ref), value, at, errors);
    if (schema.allOf) {
      // allOf of objects (a class extending another): one object with every part's properties.
      const merged: Schema = { type: 'object', properties: {}, required: [] };
      for (const part of schema.allOf.map((p) => (p.$ref ? this.resolve(p.$ref) : p))) {
        Object.assign(merged.properties!, part.properties);
        merged.required!.push(...(part.required ?? []));
        if (part.nullable) merged.nullable = true;
      }
      return this.check({ ...merged, nullable: schema.nullable ?? merged.nullable }, value, at, errors);
    }
    if (value === null) {
      if (!schema.nullable) errors.push(`${at}: null, but not nullable`);
      return;
    }
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives) {
      const each = alternatives.map((alt) => {
        const found: string[] = [];
        this.check(alt, value, at, found);
        return found;
      });
      if (!each.some((found) => found.length === 0)) errors.push(...each[0]);
      return;
    }
    if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    const kind = Array.isArray(value) ? 'array' : typeof value;
    switch (schema.type) {
      case undefined:
        return;
      case 'object': {
        if (kind !== 'object') return void errors.push(`${at}: ${kind}, expected an object`);
        const record = value as Record<string, unknown>;
        for (const name of schema.required ?? []) if (record[name] === undefined) errors.push(`${at}.${name}: required, missing`);
        for (const [name, child] of Object.entries(record)) {
          const declared = schema.properties?.[name];
          if (declared) this.check(declared, child, `${at}.${name}`, errors);
          else if (typeof schema.additionalProperties === 'object') this.check(schema.additionalProperties, child, `${at}.${name}`, errors);
          else if (schema.additionalProperties !== true && schema.properties) errors.push(`${at}.${name}: returned, but not in the document`);
        }
        return;
      }
      case 'array':
        if (kind !== 'array') return void errors.push(`${at}: ${kind}, expected an array`);
        (value as unknown[]).forEach((item, i) => this.check(schema.items ?? {}, item, `${at}[${i}]`, errors));
        return;
      case 'integer':
        if (!Number.isInteger(value)) errors.push(`${at}: ${JSON.stringify(value)}, expected an integer`);
        return;
      default:
        if (kind !== schema.type) errors.push(`${at}: ${kind} ${JSON.stringify(value)?.slice(0, 60)}, expected ${schema.type}`);
    }
  }
}

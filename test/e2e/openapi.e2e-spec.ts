import { INestApplication, Logger, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { NestFactory, ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_METADATA, AccessRule, loadAppConfig } from '@optline/core';
import { createOpenApiDocument } from '../../apps/hub/src/bootstrap';
import { HubModule } from '../../apps/hub/src/hub.module';
import { TestHub } from '../utils/test-hub';

/**
 * The OpenAPI document is the console's contract (its client is generated from it), so it must be
 * true: every operation named, typed, and declaring the errors it can answer. The hub's module
 * graph is built in preview mode (nothing connects), which is all the Swagger scanner needs.
 */

type Schema = { $ref?: string; type?: string; items?: Schema; oneOf?: Schema[]; anyOf?: Schema[]; allOf?: Schema[]; example?: unknown };
type Operation = {
  operationId?: string;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  requestBody?: unknown;
  parameters?: { in: string; name: string }[];
};

const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function operations(document: OpenAPIObject): { key: string; path: string; verb: string; op: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    VERBS.filter((verb) => (item as Record<string, unknown>)[verb]).map((verb) => ({
      key: `${verb.toUpperCase()} ${path}`,
      path,
      verb,
      op: (item as Record<string, Operation>)[verb],
    })),
  );
}

/** A schema with a type or a reference (example-only schemas describe nothing a client can generate from). */
function typed(schema: Schema | undefined): boolean {
  if (!schema) return false;
  if (schema.$ref) return true;
  for (const alternatives of [schema.oneOf, schema.anyOf, schema.allOf]) if (alternatives?.length) return alternatives.every(typed);
  if (schema.type === 'array') return typed(schema.items);
  return typeof schema.type === 'string';
}

/** Each route's access rule, keyed like the document (`GET /v1/contacts/{id}`). */
function accessRules(app: INestApplication): Map<string, AccessRule | undefined> {
  const rules = new Map<string, AccessRule | undefined>();
  const modules = app.get(ModulesContainer);
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller) continue;
      const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '')[0];
      const classRule = Reflect.getMetadata(ACCESS_METADATA, controller) as AccessRule | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        for (const sub of ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, handler))) {
          const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/').replace(/:(\w+)/g, '{$1}');
          rules.set(`${verb} ${path}`, (Reflect.getMetadata(ACCESS_METADATA, handler) as AccessRule | undefined) ?? classRule);
        }
      }
    }
  }
  return rules;
}

describe('the OpenAPI document is a true contract', () => {
  let document: OpenAPIObject;
  let rules: Map<string, AccessRule | undefined>;
  let close: () => Promise<void>;
  const scannerWarnings: string[] = [];

  beforeAll(async () => {
    const config = loadAppConfig({
      DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
      REDIS_URL: 'redis://127.0.0.1:1',
      OPTLINE_ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
      PUBLIC_URL: 'http://localhost:3000',
      LOG_LEVEL: 'silent',
    });
    const app = await NestFactory.create(HubModule.forRoot({ config }), { preview: true, logger: false, abortOnError: false });
    // Two DTO classes with one name share one schema: the scanner keeps one and only warns.
    const warn = jest.spyOn(Logger, 'warn').mockImplementation((message: unknown) => void scannerWarnings.push(String(message)));
    try {
      document = createOpenApiDocument(app, config);
    } finally {
      warn.mockRestore();
    }
    rules = accessRules(app);
    close = () => app.close();
  });
  afterAll(() => close?.());

  it('gives every schema one class (no two DTOs share a name)', () => {
    expect(scannerWarnings.filter((w) => w.includes('Duplicate DTO'))).toEqual([]);
  });

  it('finds the routes', () => {
    expect(operations(document).length).toBeGreaterThan(90);
  });

  it('names every operation, once', () => {
    const ops = operations(document);
    expect(ops.filter((o) => !o.op.operationId).map((o) => o.key)).toEqual([]);
    const seen = new Map<string, string[]>();
    for (const o of ops) seen.set(o.op.operationId!, [...(seen.get(o.op.operationId!) ?? []), o.key]);
    expect([...seen].filter(([, keys]) => keys.length > 1)).toEqual([]);
    // Readable ids a generated client can use as method names.
    expect(ops.map((o) => o.op.operationId).filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id!))).toEqual([]);
  });

  it('gives every operation a typed success answer (a schema with a type or $ref, not an example alone)', () => {
    const untyped = operations(document).filter(({ op }) => {
      const success = Object.entries(op.responses).filter(([status]) => /^[23]/.test(status));
      if (success.length === 0) return true;
      return success.some(([status, response]) => {
        const contents = Object.values(response.content ?? {});
        // No body: only a 204 or a redirect may answer without one.
        if (contents.length === 0) return !(status === '204' || /^3/.test(status));
        return contents.some((c) => !typed(c.schema));
      });
    });
    expect(untyped.map((o) => o.key)).toEqual([]);
  });

  it('declares the error answers: 401 behind authentication, 403 with a permission, 404 with a path id, 400/422 with a body; all with the one error schema', () => {
    const missing: string[] = [];
    for (const { key, path, op } of operations(document)) {
      if (!rules.has(key)) {
        missing.push(`${key}: not found among the controllers' routes`);
        continue;
      }
      const rule = rules.get(key);
      const has = (status: number) => status in op.responses;
      if (rule?.kind !== 'public' && !has(401)) missing.push(`${key}: 401`);
      if (rule?.kind === 'permission' && !has(403)) missing.push(`${key}: 403`);
      if (/\{\w+\}/.test(path) && !has(404)) missing.push(`${key}: 404`);
      if (op.requestBody && !has(400) && !has(422)) missing.push(`${key}: 400 or 422`);
      // Errors answer the one JSON error body; public HTML pages answer an HTML page instead.
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^4/.test(status)) continue;
        const contents = Object.entries(response.content ?? {});
        const json = response.content?.['application/json'];
        if (json ? json.schema?.$ref !== '#/components/schemas/ErrorResponseDto' : !contents.some(([type, c]) => type === 'text/html' && typed(c.schema))) {
          missing.push(`${key}: ${status} without the ErrorResponseDto body`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('holds no example-only schema among its components either', () => {
    const schemas = (document.components?.schemas ?? {}) as Record<string, Schema & { properties?: Record<string, Schema> }>;
    const bare = Object.entries(schemas).filter(([, s]) => !typed(s as Schema) && !('properties' in s));
    expect(bare.map(([name]) => name)).toEqual([]);
  });
});

describe('where the document is served', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(() => hub?.close());

  it('answers the same JSON at /docs-json (Nest’s default) and /docs/openapi.json, and the UI at /docs', async () => {
    const atDefault = await hub.http().get('/docs-json').expect(200).expect('Content-Type', /application\/json/);
    const atDocs = await hub.http().get('/docs/openapi.json').expect(200);
    expect(atDefault.body).toEqual(atDocs.body);
    expect(atDefault.body.paths['/v1/contacts'].get.operationId).toBe('listContacts');
    await hub.http().get('/docs').expect(200).expect('Content-Type', /html/);
  });
});

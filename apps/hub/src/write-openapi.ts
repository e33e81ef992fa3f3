/**
 * `npm run openapi` — writes the hub's OpenAPI document to apps/console/openapi.json without
 * opening a port or touching a database: Nest builds the module graph in preview mode (no
 * provider is instantiated), which is all the Swagger scanner needs.
 *
 *   node -r @swc-node/register apps/hub/src/write-openapi.ts [out.json]
 */
import './register-paths';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig } from '@optline/core';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createOpenApiDocument } from './bootstrap';
import { HubModule } from './hub.module';

/** Values that only satisfy the config loader; nothing connects in preview mode. */
const PREVIEW_ENV = {
  DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
  REDIS_URL: 'redis://127.0.0.1:1',
  OPTLINE_ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  PUBLIC_URL: 'http://localhost:3000',
  LOG_LEVEL: 'silent',
};

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? resolve(__dirname, '../../console/openapi.json'));
  const config = loadAppConfig(PREVIEW_ENV);
  const app = await NestFactory.create(HubModule.forRoot({ config }), { preview: true, logger: false, abortOnError: false });
  const document = createOpenApiDocument(app, config);
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${out} (${Object.keys(document.paths).length} paths)\n`);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig, Clock, createValidationPipe } from '@optline/core';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { HubModule } from './hub.module';

export interface CreateHubOptions {
  config: AppConfig;
  clock?: Clock;
  /** Buffer logs until the pino logger is ready (the server does; tests keep Nest's quiet default). */
  bufferLogs?: boolean;
}

/** JSON and form bodies above this size are refused with 413. */
export const BODY_LIMIT = '1mb';

/**
 * Builds the hub application with everything main.ts and the end-to-end tests share: raw
 * bodies for webhook signatures, validation, security headers, OpenAPI at /docs.
 */
export async function createHubApp(options: CreateHubOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(HubModule.forRoot(options), {
    rawBody: true,
    bufferLogs: options.bufferLogs ?? false,
    logger: options.bufferLogs ? undefined : false,
  });
  app.useLogger(app.get(Logger));
  // Nest flushes the buffer only in listen(); a worker process (init() alone) would otherwise keep
  // every line, its startup line and warnings included, in memory and never write one.
  if (options.bufferLogs) app.flushLogs();
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true });
  app.set('trust proxy', 'loopback');
  app.use(helmet({ contentSecurityPolicy: false }));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setUpOpenApi(app, options.config);
  return app;
}

function setUpOpenApi(app: INestApplication, config: AppConfig): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app, config), { jsonDocumentUrl: 'docs/openapi.json' });
}

/** The hub's OpenAPI document; also written to apps/console/openapi.json by `npm run openapi`. */
export function createOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Optline hub')
      .setDescription(
        'Consent-first SMS automation. Authenticate with a workspace API key: `Authorization: Bearer olk_…`. ' +
          'Errors answer `{ code, message, details[] }`; validation errors name each failing field.',
      )
      .setVersion('0.1.0')
      .addServer(config.publicUrl)
      .addBearerAuth()
      .build(),
  );
}

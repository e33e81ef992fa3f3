import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig, Clock, createValidationPipe, JsonTooDeepError, jsonNestsDeeperThan, QuietStartupLogger } from '@optline/core';
import { json, urlencoded } from 'express';
import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import { keepUnparsableHookBodies } from '@optline/plugin-sdk';
import { Logger } from 'nestjs-pino';
import { serveConsole } from './console/serve-console';
import { mountQueueDashboard } from './queues/queue-dashboard';
import { HubModule } from './hub.module';

export interface CreateHubOptions {
  config: AppConfig;
  clock?: Clock;
  /** Buffer logs until the pino logger is ready (the server does; tests keep Nest's quiet default). */
  bufferLogs?: boolean;
  /** The built console to serve at `/` (default apps/console/dist). */
  consoleDir?: string;
}

/** JSON and form bodies above this size are refused with 413. */
export const BODY_LIMIT = '1mb';

/**
 * Provider SMS webhooks (a text and its metadata: a Twilio form is a few kB, its Body at most
 * 1,600 characters) are refused above this size with 413 before their signature is checked.
 */
export const SMS_HOOK_BODY_LIMIT = '64kb';

/** Keeps the raw bytes (webhook signatures) and refuses JSON nested too deep before it is parsed. */
function keepRawBody(req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, bytes: Buffer): void {
  req.rawBody = bytes;
}

function keepRawJson(req: IncomingMessage & { rawBody?: Buffer }, res: unknown, bytes: Buffer): void {
  keepRawBody(req, res, bytes);
  if (jsonNestsDeeperThan(bytes)) throw new JsonTooDeepError();
}

/**
 * The body parsers (instead of Nest's, which cannot take our `verify`): raw bytes kept,
 * JSON depth capped, a smaller limit for provider SMS hooks. Registered before init, so
 * Nest sees them and adds none of its own.
 */
function useBodyParsers(app: NestExpressApplication): void {
  const parsers = (limit: string) => [json({ limit, verify: keepRawJson }), urlencoded({ limit, extended: true, verify: keepRawBody })];
  app.use('/hooks/sms', ...parsers(SMS_HOOK_BODY_LIMIT));
  app.use(...parsers(BODY_LIMIT));
}

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
  // Nest's ~180 module/route lines at debug: the default log opens with main.ts's one-line summary.
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  // Nest flushes the buffer only in listen(); a worker process (init() alone) would otherwise keep
  // every line, its startup line and warnings included, in memory and never write one.
  if (options.bufferLogs) app.flushLogs();
  useBodyParsers(app);
  // A plugin webhook whose JSON does not parse still reaches the ingress (raw bytes kept): verified, then kept as a failed event.
  app.use('/hooks', keepUnparsableHookBodies);
  app.set('trust proxy', 'loopback');
  app.use(helmet({ contentSecurityPolicy: false }));
  mountQueueDashboard(app, options.config);
  serveConsole(app, options.consoleDir);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setUpOpenApi(app, options.config);
  return app;
}

function setUpOpenApi(app: INestApplication, config: AppConfig): void {
  const document = createOpenApiDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  // Also at Nest's default address, the one generators and people try first.
  const json = JSON.stringify(document);
  app.getHttpAdapter().get('/docs-json', (_req: unknown, res: { type: (t: string) => { send: (body: string) => void } }) => res.type('application/json').send(json));
}

/** The hub's OpenAPI document; also written to apps/console/openapi.json by `npm run openapi`. */
export function createOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Optline hub')
      .setDescription(
        'Consent-first SMS automation. Authenticate with a workspace API key: `Authorization: Bearer olk_…`, ' +
          'or (the console) with the `optline_session` cookie set by `POST /v1/auth/login`, sending `X-CSRF-Token` on every change. ' +
          'Errors answer `{ code, message, details[], requestId }` (ErrorResponseDto); validation errors name each failing field.',
      )
      .setVersion('0.1.0')
      .addServer(config.publicUrl)
      .addBearerAuth()
      .addCookieAuth('optline_session')
      .build(),
  );
}

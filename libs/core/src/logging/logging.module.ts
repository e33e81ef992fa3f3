import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule, Params } from 'nestjs-pino';
import { pino, Logger as PinoRoot } from 'pino';
import { AppConfig } from '../config/app-config';
import { maskForLog } from './mask';
import { lazyRequestContext, requestIdOf, requestLineFields } from './request-log-context';

/** Headers that carry credentials or signatures; never written to a log. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["x-goog-channel-token"]',
  'req.headers["x-optline-signature"]',
];

/** pino-http writes a line per request at info; above that, nothing per request is written. */
const LOGS_EVERY_REQUEST = new Set(['trace', 'debug', 'info']);

const roots = new WeakMap<AppConfig, PinoRoot>();

/** One root logger per configuration, shared by nestjs-pino and the lazy request context (one writer on stdout). */
function rootLogger(config: AppConfig): PinoRoot {
  let root = roots.get(config);
  if (!root) roots.set(config, (root = pino({ level: config.LOG_LEVEL, redact: { paths: REDACTED, censor: '[redacted]' } })));
  return root;
}

function loggerParams(config: AppConfig): Params {
  // Above info, pino-http would build a child logger per request for lines it never writes;
  // the request context is then set up lazily by LoggingModule itself (docs/decisions/0072).
  if (!LOGS_EVERY_REQUEST.has(config.LOG_LEVEL)) return { pinoHttp: { logger: rootLogger(config) }, forRoutes: [] };
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      genReqId: (req: IncomingMessage) => requestIdOf(req),
      redact: { paths: REDACTED, censor: '[redacted]' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskForLog(req.url) }),
        // The status alone: the ~15 security headers helmet adds are the same on every line.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // Called when the request starts (bindings of every line it writes) and again when it ends
      // (the request line only adds what is new then: workspace, actor, error code).
      customProps: (req: IncomingMessage, res: ServerResponse) => (res.headersSent ? requestLineFields(req, res) : { service: 'optline-hub', role: config.HUB_ROLE }),
      autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
    },
  };
}

/**
 * JSON logs with a request id on every line written during a request; secrets redacted and phone
 * numbers masked. Every request gets an id (`X-Request-Id` when given), which error bodies carry.
 */
@Module({
  imports: [LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerParams })],
})
export class LoggingModule implements NestModule {
  constructor(private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    if (LOGS_EVERY_REQUEST.has(this.config.LOG_LEVEL)) return;
    const context = lazyRequestContext(rootLogger(this.config), { service: 'optline-hub', role: this.config.HUB_ROLE });
    consumer.apply(context).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}

import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { maskPhonesIn } from './mask';

/** Headers that carry credentials or signatures; never written to a log. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["x-goog-channel-token"]',
  'req.headers["x-optline-signature"]',
];

/** JSON logs with a request id on every line; secrets redacted and phone numbers masked. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: (req: IncomingMessage) => {
            const given = req.headers['x-request-id'];
            return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
          },
          redact: { paths: REDACTED, censor: '[redacted]' },
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskPhonesIn(req.url) }),
          },
          customProps: () => ({ service: 'optline-hub', role: config.HUB_ROLE }),
          autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
        },
      }),
    }),
  ],
})
export class LoggingModule {}

import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import type { PluginRequest } from '../contract/plugin';
import { bodyErrorOf } from './unparsable-body';

/** Turns the framework's request into the plain PluginRequest plugins receive. */
export function toPluginRequest(req: RawBodyRequest<Request>, publicBaseUrl: string, receivedAt: Date): PluginRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const parsedAsBuffer = Buffer.isBuffer(req.body);
  const bodyError = bodyErrorOf(req);
  return {
    method: req.method,
    path: req.originalUrl,
    publicUrl: `${publicBaseUrl}${req.originalUrl}`,
    headers,
    query: req.query as PluginRequest['query'],
    rawBody: req.rawBody ?? (parsedAsBuffer ? (req.body as Buffer) : Buffer.alloc(0)),
    body: parsedAsBuffer ? undefined : req.body,
    ip: req.ip ?? req.socket.remoteAddress ?? '',
    receivedAt,
    ...(bodyError !== undefined && { bodyError }),
  };
}

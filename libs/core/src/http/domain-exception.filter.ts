import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorDetail, ErrorKind } from '../errors/domain-error';
import { errorForLog } from '../logging/error-for-log';
import { maskForLog } from '../logging/mask';

/** The HTTP status each kind of domain error is answered with. */
export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unprocessable: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** The JSON every error answer carries. */
export interface ErrorBody {
  code: string;
  message: string;
  details: ErrorDetail[];
  requestId?: string;
}

function fromHttpException(exception: HttpException): { status: number; body: ErrorBody } {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
  // Our own code throws DomainErrors; a bare 400 from the framework is the body parser's.
  if (status === HttpStatus.BAD_REQUEST) {
    return { status, body: { code: 'malformed_body', message: `The request body could not be parsed: ${String(message)}`, details: [] } };
  }
  const code =
    status === HttpStatus.NOT_FOUND
      ? 'route_not_found'
      : status === HttpStatus.PAYLOAD_TOO_LARGE
        ? 'payload_too_large'
        : status === HttpStatus.TOO_MANY_REQUESTS
          ? 'rate_limited'
          : `http_${status}`;
  return { status, body: { code, message: Array.isArray(message) ? message.join('; ') : String(message), details: [] } };
}

/** Refusals that point at a misconfiguration or an attack rather than a client's typo. */
const NOTICED_CODES = new Set(['invalid_signature', 'invalid_root_token', 'invalid_metrics_token', 'invalid_api_key']);

/** A refused webhook signature or credential, or a plugin that could not be enabled: logged at warn. */
export function isWorthNoticing(status: number, code: string, routeTemplate: string | undefined): boolean {
  if (status < 400 || status >= 500) return false;
  return NOTICED_CODES.has(code) || /\/plugins\/:[^/]+\/enable$/.test(routeTemplate ?? '');
}

/**
 * The one place errors become HTTP answers: domain errors by their kind, framework errors by
 * their status, anything else a 500 with no detail. No answer ever carries a stack trace.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<{
      id?: string;
      method: string;
      url: string;
      originalUrl?: string;
      headers?: Record<string, string | string[] | undefined>;
      route?: { path?: string };
      auth?: { workspaceId: string; actor: string };
    }>();
    let status: number;
    let body: ErrorBody;

    if (exception instanceof DomainError) {
      status = STATUS_BY_KIND[exception.kind];
      body = { code: exception.code, message: exception.message, details: exception.details };
      if (exception.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (exception instanceof HttpException) {
      ({ status, body } = fromHttpException(exception));
    } else if (isBodyParserError(exception)) {
      ({ status, body } = fromBodyParserError(exception, request.headers?.['content-encoding']));
    } else {
      status = 500;
      body = { code: 'internal_error', message: 'Something went wrong on our side; it has been logged', details: [] };
      // The URL and the error pass through the log masking (phones, emails, tokens; no SQL parameters).
      // Logged as `error`, not `err`: pino's err serializer would rebuild it from the original's fields.
      this.logger.error({ error: errorForLog(exception), method: request.method, url: maskForLog(request.originalUrl ?? request.url) }, 'unhandled error');
    }
    if (request.id !== undefined) body.requestId = String(request.id);
    // The request line (pino-http) carries the code; a refusal an operator should see is a warning.
    if (response.locals) response.locals.errorCode = body.code;
    if (isWorthNoticing(status, body.code, request.route?.path)) {
      this.logger.warn(
        { code: body.code, status, method: request.method, url: maskForLog(request.originalUrl ?? request.url), workspaceId: request.auth?.workspaceId, actor: request.auth?.actor },
        `refused: ${body.code} (${status})`,
      );
    }
    if (!response.headersSent) response.status(status).json(body);
  }
}

/**
 * An error from the body parsers (http-errors): a 4xx with `expose` set. Most carry a `type`;
 * a compressed body that does not inflate carries only zlib's `code` (it was a 500 before).
 */
interface BodyParserError {
  status: number;
  type?: string;
  code?: string;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (typeof error !== 'object' || error === null) return false;
  const { status, type, expose } = error as { status?: unknown; type?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && (typeof type === 'string' || expose === true);
}

function fromBodyParserError(error: BodyParserError, contentEncoding: string | string[] | undefined): { status: number; body: ErrorBody } {
  const answer = (status: number, code: string, message: string) => ({ status, body: { code, message, details: [] } });
  switch (error.type) {
    case 'entity.too.large':
      return answer(413, 'payload_too_large', 'The request body is too large');
    case 'parameters.too.many':
      return answer(413, 'payload_too_large', 'The form body has too many parameters');
    case 'encoding.unsupported':
      return answer(415, 'unsupported_content_encoding', `Content-Encoding "${String(contentEncoding ?? '')}" is not supported; send gzip, deflate, br or no encoding`);
    case 'charset.unsupported':
      return answer(415, 'unsupported_charset', 'The body\'s charset is not supported; send UTF-8');
    case 'entity.too.deep':
    case 'querystring.parse.rangeError':
      return answer(400, 'body_too_deep', error.message);
  }
  // zlib's errors (Z_DATA_ERROR, brotli's ERR__ERROR_FORMAT_…) reach us without a type.
  const encoding = String(contentEncoding ?? 'identity').toLowerCase();
  if (error.type === undefined && encoding !== 'identity') {
    return answer(400, 'malformed_body', `The request body is not valid ${encoding} data`);
  }
  return answer(error.status, 'malformed_body', 'The request body could not be parsed');
}

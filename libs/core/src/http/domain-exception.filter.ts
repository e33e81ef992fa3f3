import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorDetail, ErrorKind } from '../errors/domain-error';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
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
    const request = ctx.getRequest<{ id?: string; method: string; url: string }>();
    let status: number;
    let body: ErrorBody;

    if (exception instanceof DomainError) {
      status = STATUS_BY_KIND[exception.kind];
      body = { code: exception.code, message: exception.message, details: exception.details };
      if (exception.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (exception instanceof HttpException) {
      ({ status, body } = fromHttpException(exception));
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      body = {
        code: exception.type === 'entity.too.large' ? 'payload_too_large' : 'malformed_body',
        message: exception.type === 'entity.too.large' ? 'The request body is too large' : 'The request body could not be parsed',
        details: [],
      };
    } else {
      status = 500;
      body = { code: 'internal_error', message: 'Something went wrong on our side; it has been logged', details: [] };
      this.logger.error({ err: exception, method: request.method, url: request.url }, 'unhandled error');
    }
    if (request.id !== undefined) body.requestId = String(request.id);
    if (!response.headersSent) response.status(status).json(body);
  }
}

function isBodyParserError(error: unknown): error is { status: number; type: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { type?: unknown }).type === 'string' &&
    (error as { status: number }).status < 500
  );
}

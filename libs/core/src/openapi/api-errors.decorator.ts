import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** The error statuses the hub answers, each with what it means for the client. */
export const ERROR_DESCRIPTIONS = {
  400: 'Invalid request: a body, query or path value is malformed; `details` names each failing field',
  401: 'No credentials, or an unknown, revoked or wrong key, token or signature',
  403: "The caller's role lacks this route's permission",
  404: 'No such id in this workspace (ids of other workspaces are not found either)',
  409: 'Conflicts with the current state (already exists, already done, or changed meanwhile)',
  410: 'Gone: the resource existed and was removed or disabled for good',
  413: 'The request body is too large',
  422: 'Well-formed but not acceptable: `details` names each failing field or rule',
  429: 'Too many requests; retry after the `Retry-After` header',
  503: 'A dependency is unavailable; retry later',
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** A status with the route's own account of when it happens. */
export interface ErrorAnswer {
  status: ErrorStatus;
  description: string;
}

/**
 * Declares the error answers of a route, all with the one error body (`ErrorResponseDto`):
 * `@ApiErrors(400, 401, 403, 404)`, or with the route's own words for a status:
 * `@ApiErrors(401, 403, { status: 409, description: 'already_invited: one request per person' })`.
 * Pick what the route can really answer: 401 behind authentication, 403 where a permission is
 * checked, 404 with an id in the path, 400/422 with a body or query, 409/429 where a conflict or
 * a limit exists.
 */
export function ApiErrors(...answers: (ErrorStatus | ErrorAnswer)[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...answers.map((answer) => {
      const { status, description } = typeof answer === 'number' ? { status: answer, description: ERROR_DESCRIPTIONS[answer] } : answer;
      // Errors are JSON even on routes that produce CSV, XML or an event stream.
      return ApiResponse({ status, description, content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } } });
    }),
  );
}

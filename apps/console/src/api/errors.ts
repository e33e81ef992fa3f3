/** The hub's error body: `{ code, message, details[] }`; validation details name the field. */
export interface ApiErrorDetail {
  field?: string;
  message?: string;
  code?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
  }

  /** The message for one field, e.g. `password` or `config.forms`. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message;
  }
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call and returns its body, or throws an ApiError. */
export async function call<T = unknown>(pending: Promise<FetchResult<unknown>>): Promise<T> {
  let result: FetchResult<unknown>;
  try {
    result = await pending;
  } catch {
    throw new ApiError(0, 'network_error', 'The hub did not answer. Check your connection and try again.');
  }
  const { data, error, response } = result;
  if (!response.ok) {
    const body = (error ?? {}) as { code?: string; message?: string | string[]; details?: ApiErrorDetail[] };
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    throw new ApiError(response.status, body.code ?? `http_${response.status}`, message ?? `The hub answered ${response.status}.`, body.details ?? []);
  }
  return data as T;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return `Your role may not do this (${error.message}).`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

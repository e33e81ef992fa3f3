import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The one place the console talks HTTP. Same-origin cookies carry the session; every unsafe
 * method carries the CSRF token the hub set in the `optline_csrf` cookie; a 401 from a
 * non-public call sends the user to sign-in.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Calls whose 401 is an answer to show, not a lost session. */
const NO_REDIRECT = [/^\/v1\/auth\/login$/, /^\/v1\/auth\/me$/, /^\/v1\/setup$/, /^\/v1\/invitations\/accept\//, /^\/v1\/password-resets\//];

let unauthorized: () => void = () => undefined;

/** The app shell registers what a lost session does (clear the cache, go to sign-in). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export const transport: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) {
      const token = readCookie('optline_csrf');
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401) {
      const path = new URL(request.url).pathname;
      if (!NO_REDIRECT.some((pattern) => pattern.test(path))) unauthorized();
    }
    return response;
  },
};

api.use(transport);

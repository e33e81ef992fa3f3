import type { CookieOptions, Request, Response } from 'express';
import type { AppConfig } from '../config/app-config';

export const SESSION_COOKIE = 'optline_session';
export const CSRF_COOKIE = 'optline_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** How long a session lives at most, signed in or not; idle sessions end sooner (SessionService). */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600_000;

/** Reads one cookie from the Cookie header (no cookie-parser: this is the only cookie the hub reads). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const raw = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function baseOptions(config: AppConfig): CookieOptions {
  // Secure only when the hub is served over https: a plain-http install on a LAN must still be able to sign in.
  return { path: '/', sameSite: 'lax', secure: config.publicUrl.startsWith('https://') };
}

/**
 * The session token goes in an httpOnly cookie scripts cannot read; the CSRF token in a cookie
 * the console reads and echoes in X-CSRF-Token (docs/decisions/0171).
 */
export function setSessionCookies(res: Response, config: AppConfig, token: string, csrfToken: string): void {
  const options = { ...baseOptions(config), maxAge: SESSION_LIFETIME_MS };
  res.cookie(SESSION_COOKIE, token, { ...options, httpOnly: true });
  res.cookie(CSRF_COOKIE, csrfToken, { ...options, httpOnly: false });
}

export function clearSessionCookies(res: Response, config: AppConfig): void {
  res.clearCookie(SESSION_COOKIE, { ...baseOptions(config), httpOnly: true });
  res.clearCookie(CSRF_COOKIE, baseOptions(config));
}

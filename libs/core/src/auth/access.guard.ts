import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import type { Response } from 'express';
import { clearSessionCookies, CSRF_HEADER, readCookie, SESSION_COOKIE } from '../identity/session-cookies';
import { SessionService } from '../identity/session.service';
import { ACCESS_METADATA, AccessRule, AuthContext, AuthenticatedRequest } from './auth-context';
import { ApiKeyService } from './api-key.service';
import { roleAllows } from './permissions';

/** Methods that change nothing; every other method made with a session cookie must carry the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function presentedToken(request: AuthenticatedRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The one access guard. Every route declares Public, RootOnly, SignedIn or RequirePermission; a
 * route that declares nothing is refused, so a forgotten decorator fails closed. A caller is an
 * API key (Authorization: Bearer) or a signed-in person (session cookie + CSRF header on
 * changes); the permission matrix is the same for both.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (rule?.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = presentedToken(request);
    const auth = token ? await this.fromApiKey(rule, token) : await this.fromSession(rule, request, context.switchToHttp().getResponse<Response>());
    if (!auth) return true; // the operator's root token
    if (!rule) throw new DomainError('forbidden', 'route_not_permitted', 'This route declares no permission and is closed');
    if (rule.kind === 'permission' && !roleAllows(auth.role, rule.permission)) {
      throw new DomainError('forbidden', 'permission_denied', `The role "${auth.role}" may not ${rule.permission.replace(':', ' ')}`, [
        { message: `requires permission ${rule.permission}` },
      ]);
    }
    request.auth = auth;
    return true;
  }

  /** null means the root token was accepted for a RootOnly route. */
  private async fromApiKey(rule: AccessRule | undefined, token: string): Promise<AuthContext | null> {
    if (rule?.kind === 'root') {
      const root = this.config.OPTLINE_ROOT_TOKEN;
      if (root && safeEqual(token, root)) return null;
      throw new DomainError('unauthorized', 'invalid_root_token', 'This route needs the operator token (OPTLINE_ROOT_TOKEN)');
    }
    const auth = await this.apiKeys.authenticate(token);
    if (!auth) throw new DomainError('unauthorized', 'invalid_api_key', 'The API key is unknown or revoked');
    if (rule?.kind === 'session') throw new DomainError('unauthorized', 'session_required', 'This route is for a signed-in person, not an API key');
    return auth;
  }

  private async fromSession(rule: AccessRule | undefined, request: AuthenticatedRequest, response: Response): Promise<AuthContext> {
    const cookie = readCookie(request, SESSION_COOKIE);
    if (!cookie) {
      throw new DomainError('unauthorized', 'missing_credentials', 'Sign in, or send an API key as "Authorization: Bearer <key>"');
    }
    if (rule?.kind === 'root') throw new DomainError('unauthorized', 'invalid_root_token', 'This route needs the operator token (OPTLINE_ROOT_TOKEN)');
    const resolved = await this.sessions.resolve(cookie);
    if (!resolved) {
      // The browser can forget a dead session's cookies rather than send them on every request.
      clearSessionCookies(response, this.config);
      throw new DomainError('unauthorized', 'session_expired', 'The session has ended; sign in again');
    }
    // Double submit bound to the session: a page on another site can make the browser send the
    // cookie, but cannot read the CSRF token to put in the header.
    if (!SAFE_METHODS.has(request.method) && !this.sessions.csrfMatches(resolved.session, request.get(CSRF_HEADER))) {
      throw new DomainError('forbidden', 'csrf_failed', 'Send the X-CSRF-Token header with the value of the optline_csrf cookie');
    }
    const { user, session } = resolved;
    return { workspaceId: user.workspaceId, role: user.role, userId: user.id, sessionId: session.id, actor: `user:${user.id}` };
  }
}

import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Permission, Role } from './permissions';

/** Who is calling: resolved once per request by the AccessGuard, from an API key or a session cookie. */
export interface AuthContext {
  workspaceId: string;
  role: Role;
  /** The key that authenticated the request; absent for a signed-in person. */
  apiKeyId?: string;
  /** The signed-in person (session cookie); absent for an API key. */
  userId?: string;
  /** The session the request came with; absent for an API key. */
  sessionId?: string;
  /** Who acted, as ledgers and audit fields record it: `api_key:<id>` or `user:<id>`. */
  actor: string;
}

export interface AuthenticatedRequest extends Request {
  auth?: AuthContext;
}

export const ACCESS_METADATA = 'optline:access';

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'root' }
  | { kind: 'session' }
  | { kind: 'permission'; permission: Permission };

/** No credentials needed: health, webhooks (which verify their own signatures), public pages. */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

/** Only the operator's OPTLINE_ROOT_TOKEN. */
export const RootOnly = () => SetMetadata(ACCESS_METADATA, { kind: 'root' } satisfies AccessRule);

/** A signed-in person (session cookie) of any role: their own profile and sessions. API keys are refused. */
export const SignedIn = () => SetMetadata(ACCESS_METADATA, { kind: 'session' } satisfies AccessRule);

/** A workspace API key or a signed-in person whose role holds this permission. */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(ACCESS_METADATA, { kind: 'permission', permission } satisfies AccessRule);

/** The caller's workspace, key or user, and role. Only on routes guarded by RequirePermission or SignedIn. */
export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.auth) throw new Error('Auth() used on a route without RequirePermission() or SignedIn()');
  return request.auth;
});

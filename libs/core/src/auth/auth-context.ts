import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Permission, Role } from './permissions';

/** Who is calling: resolved once per request by the AccessGuard. */
export interface AuthContext {
  workspaceId: string;
  apiKeyId: string;
  role: Role;
}

export interface AuthenticatedRequest extends Request {
  auth?: AuthContext;
}

export const ACCESS_METADATA = 'optline:access';

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'root' }
  | { kind: 'permission'; permission: Permission };

/** No credentials needed: health, webhooks (which verify their own signatures), public pages. */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

/** Only the operator's OPTLINE_ROOT_TOKEN. */
export const RootOnly = () => SetMetadata(ACCESS_METADATA, { kind: 'root' } satisfies AccessRule);

/** A workspace API key whose role holds this permission. */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(ACCESS_METADATA, { kind: 'permission', permission } satisfies AccessRule);

/** The caller's workspace, key and role. Only on routes guarded by a permission. */
export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.auth) throw new Error('Auth() used on a route without RequirePermission()');
  return request.auth;
});

import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { ACCESS_METADATA, AccessRule, AuthenticatedRequest } from './auth-context';
import { ApiKeyService } from './api-key.service';
import { roleAllows } from './permissions';

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
 * The one access guard. Every route declares Public, RootOnly or RequirePermission; a route
 * that declares nothing is refused, so a forgotten decorator fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
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
    if (!token) throw new DomainError('unauthorized', 'missing_credentials', 'Send an API key as "Authorization: Bearer <key>"');

    if (rule?.kind === 'root') {
      const root = this.config.OPTLINE_ROOT_TOKEN;
      if (root && safeEqual(token, root)) return true;
      throw new DomainError('unauthorized', 'invalid_root_token', 'This route needs the operator token (OPTLINE_ROOT_TOKEN)');
    }

    const auth = await this.apiKeys.authenticate(token);
    if (!auth) throw new DomainError('unauthorized', 'invalid_api_key', 'The API key is unknown or revoked');
    if (!rule) throw new DomainError('forbidden', 'route_not_permitted', 'This route declares no permission and is closed');
    if (!roleAllows(auth.role, rule.permission)) {
      throw new DomainError('forbidden', 'permission_denied', `The role "${auth.role}" may not ${rule.permission.replace(':', ' ')}`, [
        { message: `requires permission ${rule.permission}` },
      ]);
    }
    request.auth = auth;
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { Clock } from '../clock/clock';
import { NotFoundError } from '../errors/domain-error';
import { ApiKey } from './api-key.entity';
import type { AuthContext } from './auth-context';
import type { Role } from './permissions';

const KEY_PREFIX = 'olk_';
/** last_used_at is written at most this often per key, so reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface IssuedApiKey {
  apiKey: ApiKey;
  /** The full key: returned once, at creation, and never again. */
  secret: string;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

@Injectable()
export class ApiKeyService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly clock: Clock,
  ) {}

  async issue(workspaceId: string, name: string, role: Role): Promise<IssuedApiKey> {
    const visible = randomBytes(4).toString('hex');
    const secret = `${KEY_PREFIX}${visible}_${randomBytes(24).toString('base64url')}`;
    const apiKey = await this.keys.save(
      this.keys.create({ workspaceId, name, role, keyHash: hashApiKey(secret), prefix: `${KEY_PREFIX}${visible}` }),
    );
    return { apiKey: { ...apiKey, keyHash: undefined } as unknown as ApiKey, secret };
  }

  list(workspaceId: string): Promise<ApiKey[]> {
    return this.keys.find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  async revoke(workspaceId: string, id: string): Promise<ApiKey> {
    const key = await this.keys.findOne({ where: { workspaceId, id } });
    if (!key) throw new NotFoundError('API key', id);
    if (!key.revokedAt) {
      key.revokedAt = this.clock.now();
      await this.keys.update({ workspaceId, id }, { revokedAt: key.revokedAt });
    }
    return key;
  }

  /** Resolves a presented key to its workspace and role; null when unknown or revoked. */
  async authenticate(secret: string): Promise<AuthContext | null> {
    if (!secret.startsWith(KEY_PREFIX)) return null;
    const key = await this.keys.findOne({ where: { keyHash: hashApiKey(secret), revokedAt: IsNull() } });
    if (!key) return null;
    const now = this.clock.now();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.update({ id: key.id, workspaceId: key.workspaceId }, { lastUsedAt: now });
    }
    return { workspaceId: key.workspaceId, apiKeyId: key.id, role: key.role, actor: `api_key:${key.id}` };
  }
}

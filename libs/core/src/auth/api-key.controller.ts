import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKey } from './api-key.entity';
import { IdParamDto } from '../http/id-param.dto';
import { CreateApiKeyDto } from './api-key.dto';
import { ApiKeyService } from './api-key.service';
import { Auth, AuthContext, RequirePermission } from './auth-context';

function present(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}

const KEY_EXAMPLE = {
  id: '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa',
  name: 'Support desk',
  role: 'support',
  prefix: 'olk_1a2b3c4d',
  createdAt: '2026-11-22T08:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
};

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeyController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @Post()
  @RequirePermission('keys:manage')
  @ApiOperation({ summary: 'Create an API key with a role; the key is in the answer once and never again' })
  @ApiCreatedResponse({ schema: { example: { ...KEY_EXAMPLE, key: 'olk_1a2b3c4d_Xy…' } } })
  async create(@Auth() auth: AuthContext, @Body() dto: CreateApiKeyDto) {
    const issued = await this.apiKeys.issue(auth.workspaceId, dto.name, dto.role);
    return { ...present(issued.apiKey), key: issued.secret };
  }

  @Get()
  @RequirePermission('keys:manage')
  @ApiOperation({ summary: "List the workspace's API keys (never the keys themselves)" })
  @ApiOkResponse({ schema: { example: { data: [KEY_EXAMPLE] } } })
  async list(@Auth() auth: AuthContext) {
    return { data: (await this.apiKeys.list(auth.workspaceId)).map(present) };
  }

  @Delete(':id')
  @RequirePermission('keys:manage')
  @ApiOperation({ summary: 'Revoke a key; it stops working at once' })
  @ApiOkResponse({ schema: { example: { ...KEY_EXAMPLE, revokedAt: '2026-11-22T09:00:00.000Z' } } })
  async revoke(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    return present(await this.apiKeys.revoke(auth.workspaceId, params.id));
  }
}

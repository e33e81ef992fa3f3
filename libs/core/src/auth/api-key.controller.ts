import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKey } from './api-key.entity';
import { IdParamDto } from '../http/id-param.dto';
import { CreateApiKeyDto } from './api-key.dto';
import { ApiKeyService } from './api-key.service';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ListOf, ListOfItems } from '../openapi/page.dto';
import { ApiKeyResponseDto, IssuedApiKeyResponseDto } from './api-key.responses';
import { Auth, AuthContext, RequirePermission } from './auth-context';

function present(key: ApiKey): ApiKeyResponseDto {
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

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeyController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @Post()
  @RequirePermission('keys:manage')
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key with a role; the key is in the answer once and never again' })
  @ApiCreatedResponse({ type: IssuedApiKeyResponseDto })
  @ApiErrors(400, 401, 403)
  async create(@Auth() auth: AuthContext, @Body() dto: CreateApiKeyDto): Promise<IssuedApiKeyResponseDto> {
    const issued = await this.apiKeys.issue(auth.workspaceId, dto.name, dto.role);
    return { ...present(issued.apiKey), key: issued.secret };
  }

  @Get()
  @RequirePermission('keys:manage')
  @ApiOperation({ operationId: 'listApiKeys', summary: "List the workspace's API keys (never the keys themselves)" })
  @ApiOkResponse({ type: ListOf(ApiKeyResponseDto) })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ListOfItems<ApiKeyResponseDto>> {
    return { data: (await this.apiKeys.list(auth.workspaceId)).map(present) };
  }

  @Delete(':id')
  @RequirePermission('keys:manage')
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke a key; it stops working at once' })
  @ApiOkResponse({ type: ApiKeyResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async revoke(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<ApiKeyResponseDto> {
    return present(await this.apiKeys.revoke(auth.workspaceId, params.id));
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, RequirePermission } from '@optline/core';
import { Agent } from './agent.entity';
import { CreateAgentDto, UpdateAgentDto } from './agent.dto';
import { AgentResponseDto, CreatedAgentResponseDto, CurrentAgentResponseDto } from './agent.responses';
import { AgentService } from './agent.service';

export function presentAgent(agent: Agent): AgentResponseDto {
  return { id: agent.id, displayName: agent.displayName, apiKeyId: agent.apiKeyId, userId: agent.userId, createdAt: agent.createdAt, updatedAt: agent.updatedAt };
}

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentController {
  constructor(private readonly agents: AgentService) {}

  @Post()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'createAgent', summary: 'Create an agent: the name clients see, bound to an API key (an existing support/admin key, or a new support key returned once)' })
  @ApiCreatedResponse({ type: CreatedAgentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async create(@Auth() auth: AuthContext, @Body() dto: CreateAgentDto): Promise<CreatedAgentResponseDto> {
    const { agent, key } = await this.agents.create(auth.workspaceId, dto);
    return { ...presentAgent(agent), key };
  }

  @Get()
  @RequirePermission('conversations:read')
  @ApiOperation({ operationId: 'listAgents', summary: "The workspace's agents" })
  @ApiOkResponse({ type: ListOf(AgentResponseDto) })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ListOfItems<AgentResponseDto>> {
    return { data: (await this.agents.list(auth.workspaceId)).map(presentAgent) };
  }

  @Get('me')
  @RequirePermission('conversations:read')
  @ApiOperation({ operationId: 'getCurrentAgent', summary: 'The agent the caller texts as (a signed-in support or admin person becomes one on first use, named with their display name)' })
  @ApiOkResponse({ type: CurrentAgentResponseDto })
  @ApiErrors(401, 403)
  async me(@Auth() auth: AuthContext): Promise<CurrentAgentResponseDto> {
    const { agent } = await this.agents.viewer(auth);
    return { agent: agent ? presentAgent(agent) : null };
  }

  @Patch(':id')
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'renameAgent', summary: "Change the name clients see (texts already sent keep the old name)" })
  @ApiOkResponse({ type: AgentResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async rename(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: UpdateAgentDto): Promise<AgentResponseDto> {
    return presentAgent(await this.agents.rename(auth.workspaceId, params.id, dto.displayName));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'deleteAgent', summary: "Remove an agent; its conversations move to the team inbox (its API key stays until revoked)" })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  async remove(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<void> {
    await this.agents.remove(auth.workspaceId, params.id);
  }
}

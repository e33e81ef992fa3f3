import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, IdParamDto, RequirePermission } from '@optline/core';
import { Agent } from './agent.entity';
import { CreateAgentDto, UpdateAgentDto } from './agent.dto';
import { AgentService } from './agent.service';

export function presentAgent(agent: Agent) {
  return { id: agent.id, displayName: agent.displayName, apiKeyId: agent.apiKeyId, createdAt: agent.createdAt, updatedAt: agent.updatedAt };
}

const AGENT_EXAMPLE = {
  id: '5d7c9a10-3f1e-4c39-9a55-0c7d2b7e8f11',
  displayName: 'Dana Reyes',
  apiKeyId: '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa',
  createdAt: '2026-11-22T08:00:00.000Z',
  updatedAt: '2026-11-22T08:00:00.000Z',
};

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentController {
  constructor(private readonly agents: AgentService) {}

  @Post()
  @RequirePermission('settings:write')
  @ApiOperation({ summary: 'Create an agent: the name clients see, bound to an API key (an existing support/admin key, or a new support key returned once)' })
  @ApiCreatedResponse({ schema: { example: { ...AGENT_EXAMPLE, key: 'olk_1a2b3c4d_…' } } })
  async create(@Auth() auth: AuthContext, @Body() dto: CreateAgentDto) {
    const { agent, key } = await this.agents.create(auth.workspaceId, dto);
    return { ...presentAgent(agent), key };
  }

  @Get()
  @RequirePermission('conversations:read')
  @ApiOperation({ summary: "The workspace's agents" })
  @ApiOkResponse({ schema: { example: { data: [AGENT_EXAMPLE] } } })
  async list(@Auth() auth: AuthContext) {
    return { data: (await this.agents.list(auth.workspaceId)).map(presentAgent) };
  }

  @Patch(':id')
  @RequirePermission('settings:write')
  @ApiOperation({ summary: "Change the name clients see (texts already sent keep the old name)" })
  @ApiOkResponse({ schema: { example: { ...AGENT_EXAMPLE, displayName: 'Dana R.' } } })
  async rename(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: UpdateAgentDto) {
    return presentAgent(await this.agents.rename(auth.workspaceId, params.id, dto.displayName));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('settings:write')
  @ApiOperation({ summary: "Remove an agent; its conversations move to the team inbox (its API key stays until revoked)" })
  @ApiNoContentResponse()
  async remove(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<void> {
    await this.agents.remove(auth.workspaceId, params.id);
  }
}

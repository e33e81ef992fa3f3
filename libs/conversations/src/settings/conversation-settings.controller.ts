import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, RequirePermission } from '@optline/core';
import { ConversationSettingsResponseDto, ConversationTextsResponseDto } from './conversation-settings.responses';
import { UpdateConversationSettingsDto } from './conversation-settings.dto';
import { ConversationSettingsService, EffectiveSettings } from './conversation-settings.service';
import { CONVERSATION_TEXT_KEYS, CONVERSATION_TEXT_VARIABLES, CONVERSATION_TEXTS } from './conversation-texts';

function present(settings: EffectiveSettings): ConversationSettingsResponseDto {
  return {
    optInMode: settings.workspace.optInMode,
    teamName: settings.teamName,
    texts: Object.fromEntries(
      CONVERSATION_TEXT_KEYS.map((key) => [
        key,
        { template: settings.texts[key], default: CONVERSATION_TEXTS[key].default, audience: CONVERSATION_TEXTS[key].audience, customized: settings.customized.includes(key) },
      ]),
    ) as unknown as ConversationTextsResponseDto,
    placeholders: CONVERSATION_TEXT_VARIABLES,
  };
}

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('v1/conversation-settings')
export class ConversationSettingsController {
  constructor(private readonly settings: ConversationSettingsService) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getConversationSettings', summary: "The conversation texts (seed 004's defaults unless changed), the team inbox's name and the opt-in mode (set on the workspace)" })
  @ApiOkResponse({ type: ConversationSettingsResponseDto })
  @ApiErrors(401, 403)
  async get(@Auth() auth: AuthContext): Promise<ConversationSettingsResponseDto> {
    return present(await this.settings.effective(auth.workspaceId));
  }

  @Put()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'updateConversationSettings', summary: 'Change texts or the team name; every placeholder is checked on save (422 naming texts.<key>)' })
  @ApiOkResponse({ type: ConversationSettingsResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async update(@Auth() auth: AuthContext, @Body() dto: UpdateConversationSettingsDto): Promise<ConversationSettingsResponseDto> {
    return present(await this.settings.update(auth.workspaceId, dto));
  }
}

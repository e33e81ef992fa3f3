import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, RequirePermission } from '@optline/core';
import { MessageTextResponseDto, MessageTextsResponseDto, UpdateMessageTextsDto } from './message-texts.dto';
import { EffectiveMessageTexts, MessageTextsService } from './message-texts.service';
import { SYSTEM_TEXT_VARIABLES } from './system-texts';

function present(effective: EffectiveMessageTexts): MessageTextsResponseDto {
  return { texts: effective.texts, helpPreferenceLink: effective.helpPreferenceLink, placeholders: SYSTEM_TEXT_VARIABLES };
}

@ApiTags('messages')
@ApiBearerAuth()
@ApiExtraModels(MessageTextResponseDto)
@Controller('v1/message-texts')
export class MessageTextsController {
  constructor(private readonly texts: MessageTextsService) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getMessageTexts', summary: 'The keyword replies and automatic texts (seed 003/004 defaults unless changed), English and Spanish' })
  @ApiOkResponse({ type: MessageTextsResponseDto })
  @ApiErrors(401, 403)
  async get(@Auth() auth: AuthContext): Promise<MessageTextsResponseDto> {
    return present(await this.texts.effective(auth.workspaceId));
  }

  @Put()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'updateMessageTexts', summary: 'Change texts (null restores a default) or the HELP preference link; each text is checked on save (422 naming texts.<key>)' })
  @ApiOkResponse({ type: MessageTextsResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async update(@Auth() auth: AuthContext, @Body() dto: UpdateMessageTextsDto): Promise<MessageTextsResponseDto> {
    return present(await this.texts.update(auth.workspaceId, dto));
  }
}

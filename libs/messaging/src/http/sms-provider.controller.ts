import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, RequirePermission } from '@optline/core';
import { SmsProviderConfigService } from '../providers/sms-provider-config.service';
import { PutSmsProviderDto } from '../providers/sms-provider.dto';
import { SmsProviderResponseDto } from './sms-provider.responses';

@ApiTags('sms-provider')
@ApiBearerAuth()
@Controller('v1/sms-provider')
export class SmsProviderController {
  constructor(private readonly configs: SmsProviderConfigService) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'getSmsProvider', summary: "The workspace's SMS provider (secrets masked) and the URLs to paste into the provider's console" })
  @ApiOkResponse({ type: SmsProviderResponseDto })
  @ApiErrors(401, 403)
  async get(@Auth() auth: AuthContext): Promise<SmsProviderResponseDto> {
    return this.configs.view(auth.workspaceId);
  }

  @Put()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'putSmsProvider', summary: 'Choose the SMS provider: console (default), twilio, http or null. Secrets are encrypted at rest and never shown again.' })
  @ApiOkResponse({ type: SmsProviderResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async put(@Auth() auth: AuthContext, @Body() dto: PutSmsProviderDto): Promise<SmsProviderResponseDto> {
    return this.configs.put(auth.workspaceId, dto);
  }
}

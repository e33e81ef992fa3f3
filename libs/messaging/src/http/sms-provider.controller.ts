import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission } from '@optline/core';
import { SmsProviderConfigService } from '../providers/sms-provider-config.service';
import { PutSmsProviderDto } from '../providers/sms-provider.dto';

const PROVIDER_EXAMPLE = {
  kind: 'twilio',
  settings: { accountSid: 'AC7a1b2c3d4e5f60718293a4b5c6d7e8f9', from: '+15005550006', messagesPerSecond: 1 },
  secrets: { authToken: '••••cdef', signingSecret: null },
  inboundUrl: 'https://sms.example.com/hooks/sms/twilio/3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10',
  statusCallbackUrl: 'https://sms.example.com/hooks/sms/twilio/3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10/status',
  updatedAt: '2026-11-22T08:00:00.000Z',
};

@ApiTags('sms-provider')
@ApiBearerAuth()
@Controller('v1/sms-provider')
export class SmsProviderController {
  constructor(private readonly configs: SmsProviderConfigService) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ summary: "The workspace's SMS provider (secrets masked) and the URLs to paste into the provider's console" })
  @ApiOkResponse({ schema: { example: PROVIDER_EXAMPLE } })
  async get(@Auth() auth: AuthContext) {
    return this.configs.view(auth.workspaceId);
  }

  @Put()
  @RequirePermission('settings:write')
  @ApiOperation({ summary: 'Choose the SMS provider: console (default), twilio, http or null. Secrets are encrypted at rest and never shown again.' })
  @ApiOkResponse({ schema: { example: PROVIDER_EXAMPLE } })
  async put(@Auth() auth: AuthContext, @Body() dto: PutSmsProviderDto) {
    return this.configs.put(auth.workspaceId, dto);
  }
}

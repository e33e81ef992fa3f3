import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, NotFoundError, RequirePermission } from '@optline/core';
import { PluginHost } from '@optline/plugin-sdk';
import { SHOPIFY_PLUGIN_ID } from '../shopify.plugin';
import { PrivacyRecordDto } from './shopify-privacy.responses';
import { PRIVACY_STATE_KEY, PrivacyRecord } from './shopify-privacy.service';

/** Shows what was done for Shopify's privacy webhooks, so the merchant can answer the person and Shopify. */
@ApiTags('plugins')
@ApiBearerAuth()
@Controller('v1/plugins/shopify/installations')
export class ShopifyPrivacyController {
  constructor(private readonly host: PluginHost) {}

  @Get(':id/privacy-requests')
  @RequirePermission('contacts:read')
  @ApiOperation({
    operationId: 'listShopifyPrivacyRequests',
    summary: 'Shopify privacy requests handled for this installation (data requests with what Optline holds, redactions), newest first',
    description: 'The installation id is the one in GET /v1/plugins/shopify. A customers/data_request record lists which fields Optline holds and the contact to export.',
  })
  @ApiOkResponse({ type: ListOf(PrivacyRecordDto) })
  @ApiErrors(400, 401, 403, 404)
  async list(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<{ data: PrivacyRecord[] }> {
    const installation = await this.host.installation(SHOPIFY_PLUGIN_ID, params.id);
    if (!installation || installation.workspaceId !== auth.workspaceId) throw new NotFoundError('Shopify installation', params.id);
    return { data: (installation.state[PRIVACY_STATE_KEY] as PrivacyRecord[] | undefined) ?? [] };
  }
}

import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, IdParamDto, NotFoundError, RequirePermission } from '@optline/core';
import { PluginHost } from '@optline/plugin-sdk';
import { SHOPIFY_PLUGIN_ID } from '../shopify.plugin';
import { PRIVACY_STATE_KEY, PrivacyRecord } from './shopify-privacy.service';

const EXAMPLE: PrivacyRecord = {
  webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  topic: 'customers/data_request',
  receivedAt: '2026-11-25T10:00:00.000Z',
  shopifyCustomerId: '7390014201',
  dataRequestId: '9999',
  ordersMentioned: ['5830021911'],
  outcome: 'reported',
  summary: {
    contactFound: true,
    contactId: '0b7e5f1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b',
    matchedBy: 'shopify_customer_id',
    fieldsHeld: ['phone', 'email', 'firstName', 'lastName'],
    attributeNames: ['lastOrderAt'],
    externalSystems: ['shopify'],
    consent: { marketing: 'opted_in', transactional: 'none', conversational: 'none' },
    erased: false,
    export: '/v1/contacts/0b7e5f1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b',
  },
};

/** Shows what was done for Shopify's privacy webhooks, so the merchant can answer the person and Shopify. */
@ApiTags('plugins')
@ApiBearerAuth()
@Controller('v1/plugins/shopify/installations')
export class ShopifyPrivacyController {
  constructor(private readonly host: PluginHost) {}

  @Get(':id/privacy-requests')
  @RequirePermission('contacts:read')
  @ApiOperation({
    summary: 'Shopify privacy requests handled for this installation (data requests with what Optline holds, redactions), newest first',
    description: 'The installation id is the one in GET /v1/plugins/shopify. A customers/data_request record lists which fields Optline holds and the contact to export.',
  })
  @ApiOkResponse({ schema: { example: { data: [EXAMPLE] } } })
  async list(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<{ data: PrivacyRecord[] }> {
    const installation = await this.host.installation(SHOPIFY_PLUGIN_ID, params.id);
    if (!installation || installation.workspaceId !== auth.workspaceId) throw new NotFoundError('Shopify installation', params.id);
    return { data: (installation.state[PRIVACY_STATE_KEY] as PrivacyRecord[] | undefined) ?? [] };
  }
}

import { Controller, Get, HttpCode, Param, Post, Query, Redirect, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, Auth, AuthContext, DomainError, IdParamDto, invalidField, NotFoundError, Public, RequirePermission } from '@optline/core';
import { PluginHost } from '@optline/plugin-sdk';
import type { Request, Response } from 'express';
import type { ShopifyConfig } from '../config/shopify-config.dto';
import { ShopifyAuthorizeUrlDto, ShopifyConnectedDto } from './shopify-oauth.responses';
import { ShopifyOAuthService } from './shopify-oauth.service';

/** Query values exactly as sent (the HMAC covers them); a repeated parameter is a client mistake. */
function plainQuery(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw invalidField(key, `${key} must be given once, as text`);
    out[key] = value;
  }
  return out;
}

/** The admin's "Connect" button: starts Shopify's OAuth install for the workspace's installation. */
@ApiTags('plugins')
@ApiBearerAuth()
@Controller('v1/plugins/shopify/installations')
export class ShopifyConnectController {
  constructor(
    private readonly host: PluginHost,
    private readonly oauth: ShopifyOAuthService,
  ) {}

  @Post(':id/connect')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({
    operationId: 'connectShopifyInstallation',
    summary: "Start Shopify's OAuth install: the URL to send the admin's browser to",
    description:
      'Needs `clientId` and `clientSecret` in the config (PUT /v1/plugins/shopify). When the merchant approves, Shopify calls the installation\'s callback; the token is stored sealed and the installation enabled (webhooks registered). Pasting `accessToken` by hand stays possible.',
  })
  @ApiOkResponse({ type: ShopifyAuthorizeUrlDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async connect(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<ShopifyAuthorizeUrlDto> {
    const installation = await this.host.installation<ShopifyConfig>('shopify', params.id);
    if (!installation || installation.workspaceId !== auth.workspaceId) throw new NotFoundError('Shopify installation', params.id);
    return { authorizeUrl: await this.oauth.authorizeUrl(installation) };
  }
}

/** Shopify's side of the OAuth install: the app URL and the redirect URL, signed by Shopify (hex query HMAC). */
@ApiTags('plugins')
@Controller('hooks/shopify')
export class ShopifyOAuthController {
  constructor(
    private readonly oauth: ShopifyOAuthService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id/install')
  @Public()
  @Redirect()
  @ApiOperation({
    operationId: 'shopifyInstallRequest',
    summary: "Shopify's install request (the app URL): checks hmac, shop and timestamp, then redirects to the shop's OAuth authorize page",
  })
  @ApiResponse({ status: 302, description: 'To https://{shop}/admin/oauth/authorize with a fresh state' })
  @ApiErrors(400, 401, 404)
  async install(@Param() params: IdParamDto, @Query() query: Record<string, unknown>): Promise<{ url: string; statusCode: number }> {
    return { url: await this.oauth.install(params.id, plainQuery(query)), statusCode: 302 };
  }

  @Get(':id/oauth/callback')
  @Public()
  @ApiOperation({
    operationId: 'shopifyOAuthCallback',
    summary: "Shopify's OAuth redirect: checks state, hmac and shop, exchanges the code, seals the token and enables the installation",
  })
  @ApiOkResponse({ type: ShopifyConnectedDto })
  @ApiResponse({ status: 302, description: "For a browser (Accept: text/html): to the console's Shopify page with `connected=1`, or `connectError={code}&message=…`" })
  @ApiErrors(400, 401, 404, 422, 503)
  async callback(@Param() params: IdParamDto, @Query() query: Record<string, unknown>, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ShopifyConnectedDto | void> {
    // The merchant's browser comes back to the console (decision 0254); API clients keep the JSON answer.
    if (req.accepts(['json', 'html']) !== 'html') return { connected: true, ...(await this.oauth.callback(params.id, plainQuery(query))) };
    const page = `${this.config.publicUrl}/plugins/shopify`;
    try {
      await this.oauth.callback(params.id, plainQuery(query));
      res.redirect(302, `${page}?connected=1`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      res.redirect(302, `${page}?${new URLSearchParams({ connectError: error.code, message: error.message.slice(0, 300) }).toString()}`);
    }
  }
}

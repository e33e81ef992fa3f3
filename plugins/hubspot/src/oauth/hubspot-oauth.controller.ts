import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, Auth, AuthContext, DomainError, IdParamDto, invalidField, NotFoundError, Public, RequirePermission } from '@optline/core';
import { InstallationContext, OAuthAuthorizeUrlDto, PluginHost } from '@optline/plugin-sdk';
import type { Response } from 'express';
import type { HubspotConfigDto } from '../config/hubspot-config.dto';
import { HubspotSubscriptionService, WANTED_SUBSCRIPTIONS } from '../subscriptions/hubspot-subscriptions.service';
import { HubspotConnectionViewDto } from './hubspot-oauth.responses';
import { HubspotOAuthService } from './hubspot-oauth.service';

/** The admin's side of HubSpot's OAuth install: Connect, the connection's health, Disconnect. */
@ApiTags('plugins')
@ApiBearerAuth()
@Controller('v1/plugins/hubspot/installations')
export class HubspotConnectController {
  constructor(
    private readonly host: PluginHost,
    private readonly oauth: HubspotOAuthService,
    private readonly subscriptions: HubspotSubscriptionService,
  ) {}

  @Post(':id/connect')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({
    operationId: 'connectHubspotInstallation',
    summary: "Start HubSpot's OAuth app install: the URL to send the admin's browser to",
    description:
      "Needs `clientId` and `clientSecret` in the config (PUT /v1/plugins/hubspot). HubSpot asks the admin to pick a portal and approve, then redirects to the installation's callback, which stores the tokens sealed, enables the installation and returns to the console. Pasting a private-app `accessToken` stays possible.",
  })
  @ApiOkResponse({ type: OAuthAuthorizeUrlDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async connect(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<OAuthAuthorizeUrlDto> {
    return { authorizeUrl: await this.oauth.authorizeUrl(await this.own(auth, params.id)) };
  }

  @Get(':id/connection')
  @RequirePermission('plugins:read')
  @ApiOperation({ operationId: 'getHubspotConnection', summary: 'The connected portal, granted scopes, token health, and the webhook subscriptions to set' })
  @ApiOkResponse({ type: HubspotConnectionViewDto })
  @ApiErrors(400, 401, 403, 404)
  async connection(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<HubspotConnectionViewDto> {
    return this.view(await this.own(auth, params.id));
  }

  @Post(':id/disconnect')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({ operationId: 'disconnectHubspotInstallation', summary: 'Revoke the refresh token at HubSpot, discard the tokens and disable the installation' })
  @ApiOkResponse({ type: HubspotConnectionViewDto })
  @ApiErrors(400, 401, 403, 404, 503)
  async disconnect(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<HubspotConnectionViewDto> {
    await this.oauth.disconnect(await this.own(auth, params.id), auth.actor);
    return this.view(await this.own(auth, params.id));
  }

  private async own(auth: AuthContext, id: string): Promise<InstallationContext<HubspotConfigDto>> {
    const installation = await this.host.installation<HubspotConfigDto>('hubspot', id);
    if (!installation || installation.workspaceId !== auth.workspaceId) throw new NotFoundError('HubSpot installation', id);
    return installation;
  }

  private view(installation: InstallationContext<HubspotConfigDto>): HubspotConnectionViewDto {
    const synced = installation.state.subscriptions as { at?: string } | null | undefined;
    return {
      ...this.oauth.view(installation),
      webhooks: {
        managed: this.subscriptions.canManage(installation.config),
        targetUrl: installation.webhookUrl,
        subscriptions: WANTED_SUBSCRIPTIONS.map((s) => ({ eventType: s.eventType, propertyName: s.propertyName ?? null })),
        syncedAt: synced?.at ?? null,
      },
    };
  }
}

/** HubSpot's redirect after the admin approved (or declined): back to the console, saying what happened. */
@ApiTags('plugins')
@Controller('hooks/hubspot')
export class HubspotOAuthController {
  constructor(
    private readonly oauth: HubspotOAuthService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id/oauth/callback')
  @Public()
  @ApiOperation({
    operationId: 'hubspotOAuthCallback',
    summary: "HubSpot's OAuth redirect: checks the state, exchanges the code, seals the tokens, enables the installation, and returns to the console",
  })
  @ApiResponse({ status: 302, description: 'To the console\'s HubSpot page, with `connected=1`, or `connectError={code}` when the state, the code or the grant was refused' })
  @ApiErrors(400, 404)
  async callback(@Param() params: IdParamDto, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    res.redirect(302, await consoleReturn(this.config.publicUrl, 'hubspot', () => this.oauth.callback(params.id, plainQuery(query))));
  }
}

/** Query values as single strings; a repeated parameter is a client mistake. */
export function plainQuery(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw invalidField(key, `${key} must be given once, as text`);
    out[key] = value;
  }
  return out;
}

/**
 * Runs the callback and answers where the browser goes next: the plugin's console page, told
 * whether it worked. An unknown installation stays a 404 (there is no page to go back to).
 */
export async function consoleReturn(publicUrl: string, pluginId: string, run: () => Promise<unknown>): Promise<string> {
  const page = `${publicUrl}/plugins/${pluginId}`;
  try {
    await run();
    return `${page}?connected=1`;
  } catch (error) {
    if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
    return `${page}?${new URLSearchParams({ connectError: error.code, message: error.message.slice(0, 300) }).toString()}`;
  }
}

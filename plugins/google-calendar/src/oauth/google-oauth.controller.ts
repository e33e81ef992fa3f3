import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AppConfig, Auth, AuthContext, DomainError, IdParamDto, invalidField, ListOf, NotFoundError, Public, RequirePermission } from '@optline/core';
import { InstallationContext, OAuthAuthorizeUrlDto, OAuthConnectionDto, PluginHost } from '@optline/plugin-sdk';
import type { Response } from 'express';
import { GOOGLE_CALENDAR_PLUGIN_ID, GoogleCalendarConfig } from '../config/google-calendar.config';
import { GoogleOAuthService } from './google-oauth.service';

export class GoogleCalendarChoiceDto {
  @ApiProperty({ example: 'bookings@harbor-dental.example' })
  id: string;

  @ApiProperty({ example: 'Bookings' })
  summary: string;

  @ApiProperty({ example: false, description: "The account's own calendar (its id is the account's email)." })
  primary: boolean;

  @ApiProperty({ example: 'owner', description: "Google's access role: owner, writer, reader or freeBusyReader (free/busy shows no events)." })
  accessRole: string;

  @ApiProperty({ type: String, nullable: true, example: 'America/New_York' })
  timeZone: string | null;

  @ApiProperty({ example: true, description: 'In the installation\'s `calendarIds` now.' })
  watched: boolean;
}

const GoogleCalendarChoiceList = ListOf(GoogleCalendarChoiceDto);

/** The admin's side of Google's OAuth flow: Connect, the connection's health, the calendars to choose from, Disconnect. */
@ApiTags('plugins')
@ApiBearerAuth()
@Controller('v1/plugins/google-calendar/installations')
export class GoogleCalendarConnectController {
  constructor(
    private readonly host: PluginHost,
    private readonly oauth: GoogleOAuthService,
  ) {}

  @Post(':id/connect')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({
    operationId: 'connectGoogleCalendarInstallation',
    summary: "Start Google's OAuth consent (offline access): the URL to send the admin's browser to",
    description:
      "Needs `authMethod: oauth`, `oauthClientId` and `oauthClientSecret` (PUT /v1/plugins/google-calendar). Google asks the account's consent, then redirects to the installation's callback, which stores the refresh token sealed, enables the installation (watching `calendarIds`, by default the primary calendar) and returns to the console.",
  })
  @ApiOkResponse({ type: OAuthAuthorizeUrlDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async connect(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<OAuthAuthorizeUrlDto> {
    return { authorizeUrl: await this.oauth.authorizeUrl(await this.own(auth, params.id)) };
  }

  @Get(':id/connection')
  @RequirePermission('plugins:read')
  @ApiOperation({ operationId: 'getGoogleCalendarConnection', summary: 'The connected Google account, granted scopes and token health (checked with Google now)' })
  @ApiOkResponse({ type: OAuthConnectionDto })
  @ApiErrors(400, 401, 403, 404)
  async connection(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<OAuthConnectionDto> {
    return this.oauth.view(await this.own(auth, params.id));
  }

  @Get(':id/calendars')
  @RequirePermission('plugins:read')
  @ApiOperation({ operationId: 'listGoogleCalendars', summary: "The connected account's calendars (calendarList), marked when watched: choose `calendarIds` from them" })
  @ApiOkResponse({ type: GoogleCalendarChoiceList })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  async calendars(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<{ data: GoogleCalendarChoiceDto[] }> {
    try {
      return { data: await this.oauth.calendars(await this.own(auth, params.id)) };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('unavailable', 'google_unavailable', `Google did not list the calendars: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  @Post(':id/disconnect')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({ operationId: 'disconnectGoogleCalendarInstallation', summary: 'Stop the watch channels, revoke the grant at Google, discard the refresh token and disable the installation' })
  @ApiOkResponse({ type: OAuthConnectionDto })
  @ApiErrors(400, 401, 403, 404, 503)
  async disconnect(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<OAuthConnectionDto> {
    await this.oauth.disconnect(await this.own(auth, params.id), auth.actor);
    return this.oauth.view(await this.own(auth, params.id));
  }

  private async own(auth: AuthContext, id: string): Promise<InstallationContext<GoogleCalendarConfig>> {
    const installation = await this.host.installation<GoogleCalendarConfig>(GOOGLE_CALENDAR_PLUGIN_ID, id);
    if (!installation || installation.workspaceId !== auth.workspaceId) throw new NotFoundError('Google Calendar installation', id);
    return installation;
  }
}

/** Google's redirect after consent (or refusal): back to the console, saying what happened. */
@ApiTags('plugins')
@Controller('hooks/google-calendar')
export class GoogleCalendarOAuthController {
  constructor(
    private readonly oauth: GoogleOAuthService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id/oauth/callback')
  @Public()
  @ApiOperation({
    operationId: 'googleCalendarOAuthCallback',
    summary: "Google's OAuth redirect: checks the state, exchanges the code for a refresh token, seals it, enables the installation, and returns to the console",
  })
  @ApiResponse({ status: 302, description: "To the console's Google Calendar page, with `connected=1`, or `connectError={code}` when the state, the code or the consent was refused" })
  @ApiErrors(400, 404)
  async callback(@Param() params: IdParamDto, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const page = `${this.config.publicUrl}/plugins/${GOOGLE_CALENDAR_PLUGIN_ID}`;
    try {
      await this.oauth.callback(params.id, plainQuery(query));
      res.redirect(302, `${page}?connected=1`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      res.redirect(302, `${page}?${new URLSearchParams({ connectError: error.code, message: error.message.slice(0, 300) }).toString()}`);
    }
  }
}

function plainQuery(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw invalidField(key, `${key} must be given once, as text`);
    out[key] = value;
  }
  return out;
}

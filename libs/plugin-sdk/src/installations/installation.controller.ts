import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, AuditTrail, Auth, AuthContext, ListOf, ListOfItems, RequirePermission } from '@optline/core';
import { InstallationService } from './installation.service';
import { InstallationViewService, PluginView } from './installation-view.service';
import { PluginResponseDto } from './installation.responses';
import { InstallPluginDto, PluginIdParamDto } from './installation.dto';

@ApiTags('plugins')
@ApiBearerAuth()
@Controller('v1/plugins')
export class InstallationController {
  constructor(
    private readonly installations: InstallationService,
    private readonly views: InstallationViewService,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @RequirePermission('plugins:read')
  @ApiOperation({ operationId: 'listPlugins', summary: 'The plugin catalogue: each plugin, its config schema, and this workspace’s installation with its status' })
  @ApiOkResponse({ type: ListOf(PluginResponseDto) })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ListOfItems<PluginView>> {
    return { data: await this.views.catalogue(auth.workspaceId) };
  }

  @Get(':pluginId')
  @RequirePermission('plugins:read')
  @ApiOperation({ operationId: 'getPlugin', summary: 'One plugin with this workspace’s installation: masked config, last event, last error, counts' })
  @ApiOkResponse({ type: PluginResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto): Promise<PluginView> {
    return this.views.plugin(auth.workspaceId, params.pluginId);
  }

  @Put(':pluginId')
  @RequirePermission('plugins:write')
  @ApiOperation({
    operationId: 'installPlugin',
    summary: 'Install the plugin or replace its config',
    description: 'Validated against the plugin’s config schema: 422 names the failing field (`config.<field>`). Secrets are encrypted at rest and answered masked. An enabled installation is re-enabled with the new config.',
  })
  @ApiOkResponse({ type: PluginResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async install(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto, @Body() dto: InstallPluginDto): Promise<PluginView> {
    await this.installations.install(auth.workspaceId, params.pluginId, { config: dto.config, requestsPerMinute: dto.requestsPerMinute });
    // Which settings changed, never their values (some are secrets).
    await this.audit.record(auth.workspaceId, auth.actor, 'plugin.installed', params.pluginId, { configKeys: Object.keys(dto.config ?? {}) });
    return this.views.plugin(auth.workspaceId, params.pluginId);
  }

  @Post(':pluginId/enable')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({ operationId: 'enablePlugin', summary: 'Enable the installation (runs the plugin’s onEnable, e.g. registering webhooks at the remote system)' })
  @ApiOkResponse({ type: PluginResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async enable(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto): Promise<PluginView> {
    await this.installations.enable(auth.workspaceId, params.pluginId);
    await this.audit.record(auth.workspaceId, auth.actor, 'plugin.enabled', params.pluginId);
    return this.views.plugin(auth.workspaceId, params.pluginId);
  }

  @Post(':pluginId/disable')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({ operationId: 'disablePlugin', summary: 'Disable the installation: its webhooks are refused (410) and store nothing from now on' })
  @ApiOkResponse({ type: PluginResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async disable(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto): Promise<PluginView> {
    await this.installations.disable(auth.workspaceId, params.pluginId);
    await this.audit.record(auth.workspaceId, auth.actor, 'plugin.disabled', params.pluginId);
    return this.views.plugin(auth.workspaceId, params.pluginId);
  }

  @Delete(':pluginId')
  @HttpCode(204)
  @RequirePermission('plugins:write')
  @ApiOperation({ operationId: 'uninstallPlugin', summary: 'Uninstall: disables it, then deletes its config and secrets. Its stored events stay.' })
  @ApiNoContentResponse({ description: 'Uninstalled' })
  @ApiErrors(400, 401, 403, 404)
  async remove(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto): Promise<void> {
    await this.installations.remove(auth.workspaceId, params.pluginId);
    await this.audit.record(auth.workspaceId, auth.actor, 'plugin.uninstalled', params.pluginId);
  }
}

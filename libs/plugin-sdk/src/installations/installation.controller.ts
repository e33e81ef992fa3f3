import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission } from '@optline/core';
import { InstallationService } from './installation.service';
import { InstallationViewService } from './installation-view.service';
import { InstallPluginDto, PLUGIN_EXAMPLE, PluginIdParamDto } from './installation.dto';

@ApiTags('plugins')
@ApiBearerAuth()
@Controller('v1/plugins')
export class InstallationController {
  constructor(
    private readonly installations: InstallationService,
    private readonly views: InstallationViewService,
  ) {}

  @Get()
  @RequirePermission('plugins:read')
  @ApiOperation({ summary: 'The plugin catalogue: each plugin, its config schema, and this workspace’s installation with its status' })
  @ApiOkResponse({ schema: { example: { data: [PLUGIN_EXAMPLE] } } })
  async list(@Auth() auth: AuthContext) {
    return { data: await this.views.catalogue(auth.workspaceId) };
  }

  @Get(':pluginId')
  @RequirePermission('plugins:read')
  @ApiOperation({ summary: 'One plugin with this workspace’s installation: masked config, last event, last error, counts' })
  @ApiOkResponse({ schema: { example: PLUGIN_EXAMPLE } })
  async get(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto) {
    return this.views.plugin(auth.workspaceId, params.pluginId);
  }

  @Put(':pluginId')
  @RequirePermission('plugins:write')
  @ApiOperation({
    summary: 'Install the plugin or replace its config',
    description: 'Validated against the plugin’s config schema: 422 names the failing field (`config.<field>`). Secrets are encrypted at rest and answered masked. An enabled installation is re-enabled with the new config.',
  })
  @ApiOkResponse({ schema: { example: PLUGIN_EXAMPLE } })
  async install(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto, @Body() dto: InstallPluginDto) {
    await this.installations.install(auth.workspaceId, params.pluginId, { config: dto.config, requestsPerMinute: dto.requestsPerMinute });
    return this.views.plugin(auth.workspaceId, params.pluginId);
  }

  @Post(':pluginId/enable')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({ summary: 'Enable the installation (runs the plugin’s onEnable, e.g. registering webhooks at the remote system)' })
  @ApiOkResponse({ schema: { example: PLUGIN_EXAMPLE } })
  async enable(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto) {
    await this.installations.enable(auth.workspaceId, params.pluginId);
    return this.views.plugin(auth.workspaceId, params.pluginId);
  }

  @Post(':pluginId/disable')
  @HttpCode(200)
  @RequirePermission('plugins:write')
  @ApiOperation({ summary: 'Disable the installation: its webhooks are refused (410) and store nothing from now on' })
  @ApiOkResponse({ schema: { example: { ...PLUGIN_EXAMPLE, installation: { ...PLUGIN_EXAMPLE.installation, enabled: false } } } })
  async disable(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto) {
    await this.installations.disable(auth.workspaceId, params.pluginId);
    return this.views.plugin(auth.workspaceId, params.pluginId);
  }

  @Delete(':pluginId')
  @HttpCode(204)
  @RequirePermission('plugins:write')
  @ApiOperation({ summary: 'Uninstall: disables it, then deletes its config and secrets. Its stored events stay.' })
  @ApiNoContentResponse({ description: 'Uninstalled' })
  async remove(@Auth() auth: AuthContext, @Param() params: PluginIdParamDto): Promise<void> {
    await this.installations.remove(auth.workspaceId, params.pluginId);
  }
}

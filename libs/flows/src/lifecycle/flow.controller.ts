import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, PageOf, PageOfItems, RequirePermission, STANDARD_WEBHOOKS_SCHEME, WEBHOOK_SIGNATURE_HEADER } from '@optline/core';
import { FlowDocumentDto } from '../definition/flow-document.dto';
import { FlowRunRepository } from '../persistence/flow-run.repository';
import { FlowSimulationService } from '../simulator/flow-simulation.service';
import { EnrollDto, FromTemplateDto, GetFlowQueryDto, ListFlowsQueryDto, ListRunsQueryDto, SimulateDto } from './flow-api.dto';
import { presentFlow, presentRun } from './flow.presenter';
import { EnrolmentResponseDto, FlowResponseDto, FlowRunResponseDto, FlowValidResponseDto, FlowWebhookSecretResponseDto, SimulationResponseDto } from './flow.responses';
import { FlowRunQueryService } from './flow-run-query.service';
import { FlowService } from './flow.service';
import { ManualEnrolmentService } from './manual-enrolment.service';

@ApiTags('flows')
@ApiBearerAuth()
@Controller('v1/flows')
export class FlowController {
  constructor(
    private readonly flows: FlowService,
    private readonly runs: FlowRunQueryService,
    private readonly runRepository: FlowRunRepository,
    private readonly enrolments: ManualEnrolmentService,
    private readonly simulator: FlowSimulationService,
  ) {}

  @Post()
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'createFlow', summary: 'Create a flow (a draft, version 1) from a flow document; the whole document is validated' })
  @ApiCreatedResponse({ type: FlowResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async create(@Auth() auth: AuthContext, @Body() dto: FlowDocumentDto): Promise<FlowResponseDto> {
    const { flow, version } = await this.flows.create(auth.workspaceId, dto);
    return presentFlow(flow, version);
  }

  @Post('validate')
  @HttpCode(200)
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'validateFlow', summary: 'Check a flow document (fields, graph, template variables, compliance lint) without saving it' })
  @ApiOkResponse({ type: FlowValidResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async validate(@Auth() auth: AuthContext, @Body() dto: FlowDocumentDto): Promise<FlowValidResponseDto> {
    await this.flows.validate(auth.workspaceId, dto);
    return { valid: true };
  }

  @Post('from-template')
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'createFlowFromTemplate', summary: 'Create a draft flow from a built-in template (GET /v1/flow-templates)' })
  @ApiCreatedResponse({ type: FlowResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async fromTemplate(@Auth() auth: AuthContext, @Body() dto: FromTemplateDto): Promise<FlowResponseDto> {
    const { flow, version } = await this.flows.createFromTemplate(auth.workspaceId, dto.templateKey, dto.name);
    return presentFlow(flow, version);
  }

  @Get()
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'listFlows', summary: "List the workspace's flows, with their live-run counts" })
  @ApiOkResponse({ type: ListOf(FlowResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: ListFlowsQueryDto): Promise<ListOfItems<FlowResponseDto>> {
    const [flows, counts, facts] = await Promise.all([
      this.flows.list(auth.workspaceId, query.status),
      this.runRepository.liveCounts(auth.workspaceId),
      this.flows.currentVersionFacts(auth.workspaceId),
    ]);
    return {
      data: flows.map((flow) =>
        presentFlow(flow, undefined, { liveRuns: counts.get(flow.id) ?? 0, triggerEvents: facts.get(flow.id)?.triggerEvents ?? [], optIn: facts.get(flow.id)?.optIn ?? false }),
      ),
    };
  }

  @Get(':id')
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'getFlow', summary: 'One flow with its latest version, or the version asked for' })
  @ApiOkResponse({ type: FlowResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Query() query: GetFlowQueryDto): Promise<FlowResponseDto> {
    const { flow, version } = await this.flows.get(auth.workspaceId, params.id, query.version);
    const versions = await this.flows.versions(auth.workspaceId, params.id);
    const liveRuns = await this.runRepository.countLive(auth.workspaceId, params.id);
    return presentFlow(flow, version, { liveRuns, versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt })) });
  }

  @Put(':id')
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'updateFlow', summary: 'Save a new version. On an active flow it takes effect at the next activate; runs finish on their version' })
  @ApiOkResponse({ type: FlowResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: FlowDocumentDto): Promise<FlowResponseDto> {
    const { flow, version } = await this.flows.update(auth.workspaceId, params.id, dto);
    return presentFlow(flow, version);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'activateFlow', summary: 'Make the latest version live: new runs start on it (re-validated first)' })
  @ApiOkResponse({ type: FlowResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async activate(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<FlowResponseDto> {
    const { flow, version } = await this.flows.activate(auth.workspaceId, params.id);
    return presentFlow(flow, version);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'pauseFlow', summary: 'Stop new runs; runs already going finish' })
  @ApiOkResponse({ type: FlowResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async pause(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<FlowResponseDto> {
    const { flow, version } = await this.flows.pause(auth.workspaceId, params.id);
    return presentFlow(flow, version);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'archiveFlow', summary: 'Archive: no new runs, live runs are ended (exited, "flow archived")' })
  @ApiOkResponse({ type: FlowResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async archive(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<FlowResponseDto> {
    const { flow, version, endedRuns } = await this.runs.archive(auth.workspaceId, params.id);
    return presentFlow(flow, version, { endedRuns });
  }

  @Post(':id/enroll')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'enrollInFlow', summary: 'Enrol contacts or a group into an active flow, now or at startAt (one run per contact; re-entry rule applies)' })
  @ApiOkResponse({ type: EnrolmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async enroll(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: EnrollDto): Promise<EnrolmentResponseDto> {
    return this.enrolments.enrol(auth.workspaceId, params.id, dto);
  }

  @Get(':id/runs')
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'listFlowRuns', summary: "The flow's runs, newest first (cursor: nextCursor as after)" })
  @ApiOkResponse({ type: PageOf(FlowRunResponseDto) })
  @ApiErrors(400, 401, 403, 404)
  async runsOf(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Query() query: ListRunsQueryDto): Promise<PageOfItems<FlowRunResponseDto>> {
    const { data, nextCursor } = await this.runs.list(auth.workspaceId, params.id, query);
    return { data: data.map(presentRun), nextCursor };
  }

  @Post(':id/simulate')
  @HttpCode(200)
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'simulateFlow', summary: 'Run the flow on a virtual clock with a sample event (and replies, later events); returns the timeline, sends nothing' })
  @ApiOkResponse({ type: SimulationResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async simulate(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: SimulateDto): Promise<SimulationResponseDto> {
    return this.simulator.simulate(auth.workspaceId, params.id, dto);
  }

  @Get(':id/webhook-secret')
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'getFlowWebhookSecret', summary: "The secret the flow's webhook steps sign with (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)" })
  @ApiOkResponse({ type: FlowWebhookSecretResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async webhookSecret(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<FlowWebhookSecretResponseDto> {
    return {
      secret: await this.flows.webhookSecret(auth.workspaceId, params.id),
      header: WEBHOOK_SIGNATURE_HEADER,
      scheme: STANDARD_WEBHOOKS_SCHEME,
    };
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, IdParamDto, RequirePermission } from '@optline/core';
import { FlowDocumentDto } from '../definition/flow-document.dto';
import { FlowRunRepository } from '../persistence/flow-run.repository';
import { FlowSimulationService } from '../simulator/flow-simulation.service';
import { EnrollDto, FromTemplateDto, ListFlowsQueryDto, ListRunsQueryDto, SimulateDto } from './flow-api.dto';
import { FLOW_EXAMPLE, presentFlow, presentRun, RUN_EXAMPLE } from './flow.presenter';
import { FlowRunQueryService } from './flow-run-query.service';
import { FlowService } from './flow.service';
import { ManualEnrolmentService } from './manual-enrolment.service';

const VALIDATION_ERROR_EXAMPLE = {
  code: 'flow_invalid',
  message: 'steps[1].template: step "nudge-1": the first message must carry opt-out language such as "Reply STOP to opt out"',
  details: [{ field: 'steps[1].template', step: 'nudge-1', message: 'step "nudge-1": the first message must carry opt-out language such as "Reply STOP to opt out"' }],
};

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
  @ApiOperation({ summary: 'Create a flow (a draft, version 1) from a flow document; the whole document is validated' })
  @ApiCreatedResponse({ schema: { example: { ...FLOW_EXAMPLE, status: 'draft', activeVersion: null, latestVersion: 1, version: 1 } } })
  async create(@Auth() auth: AuthContext, @Body() dto: FlowDocumentDto) {
    const { flow, version } = await this.flows.create(auth.workspaceId, dto);
    return presentFlow(flow, version);
  }

  @Post('validate')
  @HttpCode(200)
  @RequirePermission('flows:read')
  @ApiOperation({ summary: 'Check a flow document (fields, graph, template variables, compliance lint) without saving it' })
  @ApiOkResponse({ schema: { example: { valid: true } }, description: `Invalid: 422 ${JSON.stringify(VALIDATION_ERROR_EXAMPLE)}` })
  async validate(@Auth() auth: AuthContext, @Body() dto: FlowDocumentDto) {
    await this.flows.validate(auth.workspaceId, dto);
    return { valid: true };
  }

  @Post('from-template')
  @RequirePermission('flows:write')
  @ApiOperation({ summary: 'Create a draft flow from a built-in template (GET /v1/flow-templates)' })
  @ApiCreatedResponse({ schema: { example: { ...FLOW_EXAMPLE, status: 'draft', activeVersion: null, latestVersion: 1, version: 1 } } })
  async fromTemplate(@Auth() auth: AuthContext, @Body() dto: FromTemplateDto) {
    const { flow, version } = await this.flows.createFromTemplate(auth.workspaceId, dto.templateKey, dto.name);
    return presentFlow(flow, version);
  }

  @Get()
  @RequirePermission('flows:read')
  @ApiOperation({ summary: "List the workspace's flows, with their live-run counts" })
  @ApiOkResponse({ schema: { example: { data: [{ ...FLOW_EXAMPLE, version: undefined, definition: undefined, liveRuns: 42 }] } } })
  async list(@Auth() auth: AuthContext, @Query() query: ListFlowsQueryDto) {
    const [flows, counts] = await Promise.all([this.flows.list(auth.workspaceId, query.status), this.runRepository.liveCounts(auth.workspaceId)]);
    return { data: flows.map((flow) => presentFlow(flow, undefined, { liveRuns: counts.get(flow.id) ?? 0 })) };
  }

  @Get(':id')
  @RequirePermission('flows:read')
  @ApiOperation({ summary: 'One flow with its latest version' })
  @ApiOkResponse({ schema: { example: { ...FLOW_EXAMPLE, liveRuns: 42, versions: [{ version: 2, createdAt: '2026-11-22T09:00:00.000Z' }] } } })
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    const { flow, version } = await this.flows.get(auth.workspaceId, params.id);
    const versions = await this.flows.versions(auth.workspaceId, params.id);
    const liveRuns = await this.runRepository.countLive(auth.workspaceId, params.id);
    return presentFlow(flow, version, { liveRuns, versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt })) });
  }

  @Put(':id')
  @RequirePermission('flows:write')
  @ApiOperation({ summary: 'Save a new version. On an active flow it takes effect at the next activate; runs finish on their version' })
  @ApiOkResponse({ schema: { example: { ...FLOW_EXAMPLE, latestVersion: 3, hasDraftChanges: true, version: 3 } } })
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: FlowDocumentDto) {
    const { flow, version } = await this.flows.update(auth.workspaceId, params.id, dto);
    return presentFlow(flow, version);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ summary: 'Make the latest version live: new runs start on it (re-validated first)' })
  @ApiOkResponse({ schema: { example: FLOW_EXAMPLE } })
  async activate(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    const { flow, version } = await this.flows.activate(auth.workspaceId, params.id);
    return presentFlow(flow, version);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ summary: 'Stop new runs; runs already going finish' })
  @ApiOkResponse({ schema: { example: { ...FLOW_EXAMPLE, status: 'paused' } } })
  async pause(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    const { flow, version } = await this.flows.pause(auth.workspaceId, params.id);
    return presentFlow(flow, version);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ summary: 'Archive: no new runs, live runs are ended (exited, "flow archived")' })
  @ApiOkResponse({ schema: { example: { ...FLOW_EXAMPLE, status: 'archived', archivedAt: '2026-11-30T08:00:00.000Z', endedRuns: 42 } } })
  async archive(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    const { flow, version, endedRuns } = await this.runs.archive(auth.workspaceId, params.id);
    return presentFlow(flow, version, { endedRuns });
  }

  @Post(':id/enroll')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ summary: 'Enrol contacts or a group into an active flow, now or at startAt (one run per contact; re-entry rule applies)' })
  @ApiOkResponse({
    schema: { example: { enrolled: 2, runIds: [RUN_EXAMPLE.id, '2e8f0b51-6d3c-4a1b-9e4f-8c7d6b5a4f32'], skipped: { alreadyRunning: 1, reentry: 0, unknownContacts: [] }, startAt: '2026-11-27T14:00:00.000Z' } },
  })
  async enroll(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: EnrollDto) {
    return this.enrolments.enrol(auth.workspaceId, params.id, dto);
  }

  @Get(':id/runs')
  @RequirePermission('flows:read')
  @ApiOperation({ summary: "The flow's runs, newest first (cursor: nextCursor as after)" })
  @ApiOkResponse({ schema: { example: { data: [RUN_EXAMPLE], nextCursor: null } } })
  async runsOf(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Query() query: ListRunsQueryDto) {
    const { data, nextCursor } = await this.runs.list(auth.workspaceId, params.id, query);
    return { data: data.map(presentRun), nextCursor };
  }

  @Post(':id/simulate')
  @HttpCode(200)
  @RequirePermission('flows:read')
  @ApiOperation({ summary: 'Run the flow on a virtual clock with a sample event (and replies, later events); returns the timeline, sends nothing' })
  @ApiOkResponse({
    schema: {
      example: {
        flowId: FLOW_EXAMPLE.id,
        version: 2,
        status: 'completed',
        endedAt: '2026-11-22T10:00:00.000Z',
        arms: {},
        messages: [{ stepId: 'nudge-1', type: 'marketing', body: 'Acme Alerts: you left something…', submittedAt: '2026-11-22T10:00:00.000Z', sendAt: '2026-11-22T10:00:00.000Z' }],
        timeline: [
          { at: '2026-11-22T09:00:00.000Z', stepId: 'wait-1h', stepType: 'wait', outcome: 'waiting', detail: { until: '2026-11-22T10:00:00.000Z' } },
          { at: '2026-11-22T10:00:00.000Z', stepId: 'nudge-1', stepType: 'send', outcome: 'sent', detail: { body: 'Acme Alerts: …', type: 'marketing' } },
        ],
      },
    },
  })
  async simulate(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: SimulateDto) {
    return this.simulator.simulate(auth.workspaceId, params.id, dto);
  }

  @Get(':id/webhook-secret')
  @RequirePermission('flows:write')
  @ApiOperation({ summary: "The secret the flow's webhook steps sign with (header Optline-Signature: t=…,v1=HMAC-SHA256)" })
  @ApiOkResponse({ schema: { example: { secret: 'whsec_3q2+7w…', header: 'optline-signature', scheme: 't=<unix>,v1=hex(HMAC-SHA256(secret, "<t>.<body>"))' } } })
  async webhookSecret(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    return {
      secret: await this.flows.webhookSecret(auth.workspaceId, params.id),
      header: 'optline-signature',
      scheme: 't=<unix>,v1=hex(HMAC-SHA256(secret, "<t>.<body>"))',
    };
  }
}

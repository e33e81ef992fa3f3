import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res, type Type } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, RequirePermission, WorkspaceReferences } from '@optline/core';
import type { Request, Response } from 'express';
import { ReportQueryService, SeriesRow } from '../query/report-query.service';
import { RecomputeService } from '../recompute/recompute.service';
import { ReportSettingsService } from '../settings/report-settings.service';
import { sendCsv, wantsCsv } from './report-csv';
import { LinksQueryDto, ReportQueryDto, UpdateReportSettingsDto } from './reports.dto';
import { FunnelResponseDto, LinkRowDto, ReasonRowDto, RecomputeResponseDto, ReportResponseDto, ReportSettingsResponseDto } from './reports.responses';

const CSV = { 'text/csv': { schema: { type: 'string', example: 'bucket,group,label,sent,delivered,…\n2026-03-10,,,12,11,…' } } };
/** JSON or, asked for, CSV: the JSON schema named here rather than by `type`, which Swagger would apply to both. */
const jsonOrCsv = (dto: Type<unknown>) => ({ content: { 'application/json': { schema: { $ref: getSchemaPath(dto) } }, ...CSV } });
const ROW_COLUMNS: (keyof SeriesRow)[] = [
  'bucket', 'group', 'label', 'sent', 'delivered', 'deliveryRate', 'undelivered', 'failed', 'blocked', 'deferred', 'segments', 'cost',
  'clicks', 'uniqueClicks', 'clickRate', 'replies', 'optOuts', 'optOutRate', 'conversions', 'revenue',
];

const ReasonListDto = ListOf(ReasonRowDto);
const LinkListDto = ListOf(LinkRowDto);

/** /v1/reports: numbers from the rollups (docs/reporting.md), as JSON or CSV. */
@ApiTags('reports')
@ApiExtraModels(ReportResponseDto, FunnelResponseDto, ReasonListDto, LinkListDto)
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportQueryService,
    private readonly settings: ReportSettingsService,
    private readonly recompute: RecomputeService,
    private readonly references: WorkspaceReferences,
  ) {}

  @Get('series')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getReportSeries', summary: 'Numbers per day (workspace time zone) or hour, optionally per flow, version, step, campaign, type, source or provider' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(jsonOrCsv(ReportResponseDto))
  @ApiErrors(400, 401, 403, 422)
  async series(@Auth() auth: AuthContext, @Query() query: ReportQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ReportResponseDto | void> {
    const { window, settings, rows } = await this.reports.series(auth.workspaceId, query);
    if (wantsCsv(req, query.format)) return sendCsv(res, 'report-series', rows, ROW_COLUMNS);
    return { granularity: window.grain, from: window.from, to: window.to, timeZone: window.timeZone, currency: settings.currency, optOutWarningRate: settings.optOutWarningRate, rows };
  }

  @Get('breakdown')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getReportBreakdown', summary: 'Totals over the range per group (groupBy)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(jsonOrCsv(ReportResponseDto))
  @ApiErrors(400, 401, 403, 422)
  async breakdown(@Auth() auth: AuthContext, @Query() query: ReportQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ReportResponseDto | void> {
    const { window, settings, rows } = await this.reports.breakdown(auth.workspaceId, query);
    if (wantsCsv(req, query.format)) return sendCsv(res, 'report-breakdown', rows, ROW_COLUMNS);
    return { granularity: window.grain, from: window.from, to: window.to, timeZone: window.timeZone, currency: settings.currency, optOutWarningRate: settings.optOutWarningRate, rows };
  }

  @Get('reasons')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getReportReasons', summary: 'Failed, undelivered, blocked and deferred messages by error code or reason' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(jsonOrCsv(ReasonListDto))
  @ApiErrors(400, 401, 403, 422)
  async reasons(@Auth() auth: AuthContext, @Query() query: ReportQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ListOfItems<ReasonRowDto> | void> {
    const rows = await this.reports.reasons(auth.workspaceId, query);
    if (wantsCsv(req, query.format)) return sendCsv(res, 'report-reasons', rows, ['measure', 'detail', 'count']);
    return { data: rows };
  }

  @Get('links')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getTopLinks', summary: 'The most clicked links of messages sent in the range' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(jsonOrCsv(LinkListDto))
  @ApiErrors(400, 401, 403, 422)
  async links(@Auth() auth: AuthContext, @Query() query: LinksQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ListOfItems<LinkRowDto> | void> {
    const rows = await this.reports.links(auth.workspaceId, query, query.limit ?? 10);
    if (wantsCsv(req, query.format)) return sendCsv(res, 'top-links', rows, ['url', 'clicks', 'uniqueClicks']);
    return { data: rows };
  }

  @Get('funnel/:id')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getFlowFunnel', summary: 'A flow’s funnel: entered → sent → delivered → clicked → converted' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(jsonOrCsv(FunnelResponseDto))
  @ApiErrors(400, 401, 403, 404, 422)
  async funnel(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Query() query: ReportQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<FunnelResponseDto | void> {
    await this.references.assertInWorkspace(auth.workspaceId, [{ field: 'id', kind: 'flow', id: params.id }]);
    const funnel = { flowId: params.id, ...(await this.reports.funnel(auth.workspaceId, params.id, query)) };
    if (wantsCsv(req, query.format)) return sendCsv(res, 'flow-funnel', [funnel]);
    return funnel;
  }

  @Get('settings')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getReportSettings', summary: 'Attribution windows, opt-out warning rate, conversion events and prices per segment' })
  @ApiOkResponse({ type: ReportSettingsResponseDto })
  @ApiErrors(401, 403)
  async getSettings(@Auth() auth: AuthContext): Promise<ReportSettingsResponseDto> {
    return this.settings.get(auth.workspaceId);
  }

  @Put('settings')
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'putReportSettings', summary: 'Change reporting settings; a changed window or conversion list recomputes history in the background' })
  @ApiOkResponse({ type: ReportSettingsResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async putSettings(@Auth() auth: AuthContext, @Body() dto: UpdateReportSettingsDto): Promise<ReportSettingsResponseDto> {
    const { settings, attributionChanged } = await this.settings.update(auth.workspaceId, dto);
    if (attributionChanged) await this.recompute.request(auth.workspaceId);
    return settings;
  }

  @Get('recompute')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getReportRecompute', summary: 'Progress of the background recompute of facts and rollups' })
  @ApiOkResponse({ type: RecomputeResponseDto })
  @ApiErrors(401, 403)
  async recomputeStatus(@Auth() auth: AuthContext): Promise<RecomputeResponseDto> {
    return this.recompute.status(auth.workspaceId);
  }

  @Post('recompute')
  @HttpCode(202)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'startReportRecompute', summary: 'Rebuild facts and rollups from the raw rows (background; follow GET /v1/reports/recompute)' })
  @ApiAcceptedResponse({ type: RecomputeResponseDto })
  @ApiErrors(401, 403)
  async startRecompute(@Auth() auth: AuthContext): Promise<RecomputeResponseDto> {
    return this.recompute.request(auth.workspaceId);
  }
}

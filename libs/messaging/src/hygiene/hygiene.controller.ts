import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, Clock, DomainError, NotFoundError, RequirePermission } from '@optline/core';
import type { Request } from 'express';
import { DeactivationImportService } from './deactivation-import.service';
import { HygienePhoneParamDto, HygieneReportQueryDto } from './hygiene.dto';
import { HygieneRepository } from './hygiene.repository';
import { DeactivationImportResponseDto, HygieneReportResponseDto, HygieneSweepResponseDto, LineTypeResponseDto } from './hygiene.responses';
import { NumberHygiene } from './number-hygiene.service';

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv', 'application/octet-stream'];
const DAY_MS = 86_400_000;

@ApiTags('hygiene')
@ApiBearerAuth()
@Controller('v1/hygiene')
export class HygieneController {
  constructor(
    private readonly hygiene: NumberHygiene,
    private readonly deactivations: DeactivationImportService,
    private readonly repository: HygieneRepository,
    private readonly clock: Clock,
  ) {}

  @Get('report')
  @RequirePermission('reports:read')
  @ApiOperation({ operationId: 'getHygieneReport', summary: 'What number hygiene removed: numbers suppressed per day (UTC) and reason (landline, invalid_number, deactivated)' })
  @ApiOkResponse({ type: HygieneReportResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async report(@Auth() auth: AuthContext, @Query() query: HygieneReportQueryDto): Promise<HygieneReportResponseDto> {
    const to = query.to ?? this.clock.now().toISOString().slice(0, 10);
    const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
    if (from > to) throw new DomainError('unprocessable', 'invalid_range', 'from must not be after to', [{ field: 'from', message: 'must not be after to' }]);
    const days = await this.repository.removedByDay(auth.workspaceId, new Date(`${from}T00:00:00Z`), new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS));
    const totals: Record<string, number> = {};
    for (const row of days) totals[row.reason] = (totals[row.reason] ?? 0) + row.count;
    return { from, to, days, totals };
  }

  @Post('sweep')
  @HttpCode(200)
  @RequirePermission('suppression:write')
  @ApiOperation({
    operationId: 'runHygieneSweep',
    summary: "Look up now the line type of contacts never looked up (workers do it every minute after imports); suppresses landlines and invalid numbers. Needs the Twilio provider with lineTypeLookup",
  })
  @ApiOkResponse({ type: HygieneSweepResponseDto })
  @ApiErrors(401, 403, 422)
  async sweep(@Auth() auth: AuthContext): Promise<HygieneSweepResponseDto> {
    if (!(await this.hygiene.enabled(auth.workspaceId))) {
      throw new DomainError('unprocessable', 'lookup_not_enabled', 'Line-type lookup needs the Twilio provider with lineTypeLookup: true (PUT /v1/sms-provider)', [{ field: 'lineTypeLookup', message: 'not enabled' }]);
    }
    const result = await this.hygiene.sweep(auth.workspaceId);
    const suppressed: Record<string, number> = {};
    for (const reason of result.suppressed.values()) suppressed[reason] = (suppressed[reason] ?? 0) + 1;
    return { looked: result.looked, suppressed, failed: result.failed, remaining: result.remaining };
  }

  @Get('lookups/:phone')
  @RequirePermission('contacts:read')
  @ApiOperation({ operationId: 'getLineTypeLookup', summary: "The cached line type of a number (what the last lookup said); 404 when never looked up" })
  @ApiOkResponse({ type: LineTypeResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async lookup(@Auth() auth: AuthContext, @Param() params: HygienePhoneParamDto): Promise<LineTypeResponseDto> {
    const row = await this.hygiene.lastLookup(auth.workspaceId, params.phone);
    if (!row) throw new NotFoundError('Line type lookup', params.phone);
    return { phone: params.phone, valid: row.valid, lineType: row.lineType, carrierName: row.carrierName, checkedAt: row.checkedAt.toISOString() };
  }

  @Post('deactivations')
  @HttpCode(200)
  @RequirePermission('suppression:write')
  @ApiOperation({
    operationId: 'importDeactivations',
    summary: "Import a carrier's deactivation list (CSV: number, deactivation date): numbers whose last opt-in predates their deactivation are suppressed (reason deactivated); send the file as the body",
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'phone,deactivation_date\n+14155550100,2026-11-02\n' } })
  @ApiOkResponse({ type: DeactivationImportResponseDto })
  @ApiErrors(400, 401, 403, 413, 422)
  async importDeactivations(@Auth() auth: AuthContext, @Req() req: Request): Promise<DeactivationImportResponseDto> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!CSV_TYPES.includes(type)) {
      throw new DomainError('invalid', 'csv_body_required', `Send the CSV file as the request body with Content-Type: text/csv (got "${type || 'none'}")`, [{ field: 'body', message: 'must be a CSV file (text/csv)' }]);
    }
    return this.deactivations.import(auth.workspaceId, req, auth.actor);
  }
}

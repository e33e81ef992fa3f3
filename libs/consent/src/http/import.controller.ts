import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, RequirePermission } from '@optline/core';
import type { Request, Response } from 'express';
import { sendStream } from '@optline/contacts';
import { ContactImport } from '../import/contact-import.entity';
import { ImportQueryService } from '../import/import-query.service';
import { ImportUploadService } from '../import/import-upload.service';
import { ImportQueryDto, PageQueryDto } from './consent.dto';
import { assertCsvBody } from './csv-body';
import { ImportResponseDto } from './import.responses';

function present(job: ContactImport): ImportResponseDto {
  return {
    id: job.id,
    status: job.status,
    fileName: job.fileName,
    bytes: Number(job.bytesReceived),
    rowsRead: job.rowsRead,
    created: job.created,
    updated: job.updated,
    rejected: job.rejected,
    consentSkipped: job.consentSkipped,
    error: job.error,
    options: { consentTypes: job.options.consentTypes, disclosureId: job.options.disclosureId, note: job.options.evidenceNote, announce: job.options.announce ?? false },
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    links: { self: `/v1/imports/${job.id}`, rejectedRows: `/v1/imports/${job.id}/rejected` },
  };
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1')
export class ImportController {
  constructor(
    private readonly uploads: ImportUploadService,
    private readonly imports: ImportQueryService,
  ) {}

  @Post('contacts/import')
  @HttpCode(202)
  @RequirePermission('contacts:import')
  @ApiOperation({
    operationId: 'importContacts',
    summary:
      'Import contacts from a CSV sent as the body (streamed; a million rows and more). Columns: phone, first_name, last_name, email, time_zone, consent, consent_types, consent_source, consent_timestamp, external_id.<source>; others become attributes. Runs as a job: follow it at /v1/imports/:id',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'phone,first_name,email,consent,consent_timestamp,birthday\n+14155550100,Ada,ada@example.com,opted_in,2025-03-01T10:00:00Z,1990-12-10\n' } })
  @ApiAcceptedResponse({ type: ImportResponseDto })
  @ApiErrors(400, 401, 403, 404, 413, 422)
  async upload(@Auth() auth: AuthContext, @Query() query: ImportQueryDto, @Req() req: Request): Promise<ImportResponseDto> {
    assertCsvBody(req);
    const job = await this.uploads.upload(auth.workspaceId, auth.actor, req, query.fileName ?? null, {
      consentTypes: query.consentTypes?.length ? query.consentTypes : ['marketing'],
      disclosureId: query.disclosureId ?? null,
      evidenceNote: query.note ?? null,
      announce: query.announce ?? false,
    });
    return present(job);
  }

  @Get('imports')
  @RequirePermission('contacts:import')
  @ApiOperation({ operationId: 'listImports', summary: 'Recent imports, newest first' })
  @ApiOkResponse({ type: ListOf(ImportResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: PageQueryDto): Promise<ListOfItems<ImportResponseDto>> {
    return { data: (await this.imports.list(auth.workspaceId, query.limit ?? 100)).map(present) };
  }

  @Get('imports/:id')
  @RequirePermission('contacts:import')
  @ApiOperation({ operationId: 'getImport', summary: "An import's progress: rows read, created, updated, rejected, consent skipped" })
  @ApiOkResponse({ type: ImportResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<ImportResponseDto> {
    return present(await this.imports.get(auth.workspaceId, params.id));
  }

  @Get('imports/:id/rejected')
  @RequirePermission('contacts:import')
  @ApiOperation({ operationId: 'getImportRejectedRows', summary: 'The rows an import refused (or imported without their consent), with the reason for each, as CSV' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV: line, outcome and reason, then the row as sent',
    content: { 'text/csv': { schema: { type: 'string', example: 'line,outcome,reason,phone,first_name\n7,rejected,"phone ""555"" is not a valid number",555,Bob\n' } } },
  })
  @ApiErrors(400, 401, 403, 404)
  async rejected(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Res() res: Response): Promise<void> {
    const body = await this.imports.rejectedRowsCsv(auth.workspaceId, params.id);
    sendStream(res, body, 'text/csv; charset=utf-8', `import-${params.id}-rejected.csv`);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, PageOf, PageOfItems, RequirePermission } from '@optline/core';
import type { Request } from 'express';
import { Suppression } from '../suppression/suppression.entity';
import { SuppressionImportService } from '../suppression/suppression-import.service';
import { SuppressionService } from '../suppression/suppression.service';
import { PageQueryDto, PhoneParamDto, SuppressDto, SuppressionImportQueryDto, UnsuppressDto } from './consent.dto';
import { assertCsvBody } from './csv-body';
import { SuppressedResponseDto, SuppressionImportResponseDto, SuppressionResponseDto, UnsuppressedResponseDto } from './import.responses';

function present(entry: Suppression): SuppressionResponseDto {
  return { id: entry.id, phone: entry.phone, phoneHash: entry.phoneHash, reason: entry.reason, actor: entry.actor, createdAt: entry.createdAt };
}

@ApiTags('suppression')
@ApiBearerAuth()
@Controller('v1/suppression')
export class SuppressionController {
  constructor(
    private readonly suppression: SuppressionService,
    private readonly importer: SuppressionImportService,
  ) {}

  @Get()
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'listSuppressions', summary: 'The numbers this workspace never texts (erased contacts appear by hash only)' })
  @ApiOkResponse({ type: PageOf(SuppressionResponseDto) })
  @ApiErrors(400, 401, 403)
  async list(@Auth() auth: AuthContext, @Query() query: PageQueryDto): Promise<PageOfItems<SuppressionResponseDto>> {
    const limit = query.limit ?? 100;
    const entries = await this.suppression.list(auth.workspaceId, query.cursor, limit);
    return { data: entries.map(present), nextCursor: entries.length === limit ? entries[entries.length - 1].id : null };
  }

  @Post()
  @HttpCode(200)
  @RequirePermission('suppression:write')
  @ApiOperation({ operationId: 'suppressNumber', summary: 'Suppress a number, with a reason (idempotent; audited in the consent ledger)' })
  @ApiOkResponse({ type: SuppressedResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async add(@Auth() auth: AuthContext, @Body() dto: SuppressDto): Promise<SuppressedResponseDto> {
    const { phone, added } = await this.suppression.addDetailed(auth.workspaceId, { phone: dto.phone, reason: dto.reason, actor: auth.actor });
    return { phone, suppressed: true, added };
  }

  @Post('import')
  @HttpCode(200)
  @RequirePermission('suppression:write')
  @ApiOperation({ operationId: 'importSuppressions', summary: 'Suppress every number of a CSV (columns: phone, optional reason); send the file as the body' })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'phone,reason\n+14155550100,legal request\n+14155550101,\n' } })
  @ApiOkResponse({ type: SuppressionImportResponseDto })
  @ApiErrors(400, 401, 403, 413, 422)
  async import(@Auth() auth: AuthContext, @Query() query: SuppressionImportQueryDto, @Req() req: Request): Promise<SuppressionImportResponseDto> {
    assertCsvBody(req);
    return this.importer.import(auth.workspaceId, req, query.reason ?? 'imported do-not-contact list', auth.actor);
  }

  @Get(':phone')
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'getSuppression', summary: 'Whether a number is suppressed, and why (404 when it is not)' })
  @ApiOkResponse({ type: SuppressionResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: PhoneParamDto): Promise<SuppressionResponseDto> {
    return present(await this.suppression.get(auth.workspaceId, params.phone));
  }

  @Delete(':phone')
  @HttpCode(200)
  @RequirePermission('suppression:write')
  @ApiOperation({ operationId: 'unsuppressNumber', summary: 'Take a number off the suppression list, with a reason (audited in the consent ledger)' })
  @ApiOkResponse({ type: UnsuppressedResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async remove(@Auth() auth: AuthContext, @Param() params: PhoneParamDto, @Body() dto: UnsuppressDto): Promise<UnsuppressedResponseDto> {
    await this.suppression.remove(auth.workspaceId, params.phone, dto.reason, auth.actor);
    return { phone: params.phone, suppressed: false };
  }
}

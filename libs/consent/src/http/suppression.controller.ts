import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission } from '@optline/core';
import type { Request } from 'express';
import { Suppression } from '../suppression/suppression.entity';
import { SuppressionImportService } from '../suppression/suppression-import.service';
import { SuppressionService } from '../suppression/suppression.service';
import { PageQueryDto, PhoneParamDto, SuppressDto, SuppressionImportQueryDto, UnsuppressDto } from './consent.dto';
import { assertCsvBody } from './csv-body';

function present(entry: Suppression) {
  return { id: entry.id, phone: entry.phone, phoneHash: entry.phoneHash, reason: entry.reason, actor: entry.actor, createdAt: entry.createdAt };
}

const SUPPRESSION_EXAMPLE = {
  id: '2c4f1a52-5a53-4a0b-9d2c-2f7a4b1b9e10',
  phone: '+14155550100',
  phoneHash: '5b0e…',
  reason: 'Carrier reported landline',
  actor: 'api_key:9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa',
  createdAt: '2026-11-22T08:00:00.000Z',
};

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
  @ApiOperation({ summary: 'The numbers this workspace never texts (erased contacts appear by hash only)' })
  @ApiOkResponse({ schema: { example: { data: [SUPPRESSION_EXAMPLE], nextCursor: null } } })
  async list(@Auth() auth: AuthContext, @Query() query: PageQueryDto) {
    const limit = query.limit ?? 100;
    const entries = await this.suppression.list(auth.workspaceId, query.cursor, limit);
    return { data: entries.map(present), nextCursor: entries.length === limit ? entries[entries.length - 1].id : null };
  }

  @Post()
  @HttpCode(200)
  @RequirePermission('suppression:write')
  @ApiOperation({ summary: 'Suppress a number, with a reason (idempotent; audited in the consent ledger)' })
  @ApiOkResponse({ schema: { example: { phone: '+14155550100', suppressed: true, added: true } } })
  async add(@Auth() auth: AuthContext, @Body() dto: SuppressDto) {
    const { phone, added } = await this.suppression.addDetailed(auth.workspaceId, { phone: dto.phone, reason: dto.reason, actor: auth.actor });
    return { phone, suppressed: true, added };
  }

  @Post('import')
  @HttpCode(200)
  @RequirePermission('suppression:write')
  @ApiOperation({ summary: 'Suppress every number of a CSV (columns: phone, optional reason); send the file as the body' })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'phone,reason\n+14155550100,legal request\n+14155550101,\n' } })
  @ApiOkResponse({ schema: { example: { rowsRead: 3, added: 2, alreadySuppressed: 0, rejected: 1, rejections: [{ line: 4, reason: 'phone "12" is not a valid number' }] } } })
  async import(@Auth() auth: AuthContext, @Query() query: SuppressionImportQueryDto, @Req() req: Request) {
    assertCsvBody(req);
    return this.importer.import(auth.workspaceId, req, query.reason ?? 'imported do-not-contact list', auth.actor);
  }

  @Get(':phone')
  @RequirePermission('consent:read')
  @ApiOperation({ summary: 'Whether a number is suppressed, and why (404 when it is not)' })
  @ApiOkResponse({ schema: { example: SUPPRESSION_EXAMPLE } })
  async get(@Auth() auth: AuthContext, @Param() params: PhoneParamDto) {
    return present(await this.suppression.get(auth.workspaceId, params.phone));
  }

  @Delete(':phone')
  @HttpCode(200)
  @RequirePermission('suppression:write')
  @ApiOperation({ summary: 'Take a number off the suppression list, with a reason (audited in the consent ledger)' })
  @ApiOkResponse({ schema: { example: { phone: '+14155550100', suppressed: false } } })
  async remove(@Auth() auth: AuthContext, @Param() params: PhoneParamDto, @Body() dto: UnsuppressDto) {
    await this.suppression.remove(auth.workspaceId, params.phone, dto.reason, auth.actor);
    return { phone: params.phone, suppressed: false };
  }
}

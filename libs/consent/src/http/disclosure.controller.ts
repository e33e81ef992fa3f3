import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, IdParamDto, NotFoundError, RequirePermission } from '@optline/core';
import { Disclosure } from '../disclosures/disclosure.entity';
import { DisclosureService } from '../disclosures/disclosure.service';
import { CreateDisclosureDto } from './consent.dto';

function present(d: Disclosure) {
  return { id: d.id, version: d.version, text: d.text, createdAt: d.createdAt };
}

const DISCLOSURE_EXAMPLE = {
  id: '0d5e1a52-5a53-4a0b-9d2c-2f7a4b1b9e10',
  version: 3,
  text: 'By checking this box you agree to receive recurring automated marketing texts from Acme Alerts… Reply HELP for help, STOP to cancel.',
  createdAt: '2026-11-22T08:00:00.000Z',
};

@ApiTags('consent')
@ApiBearerAuth()
@Controller('v1/disclosures')
export class DisclosureController {
  constructor(private readonly disclosures: DisclosureService) {}

  @Post()
  @RequirePermission('settings:write')
  @ApiOperation({ summary: 'Publish a new disclosure version (texts are never edited; opt-ins keep the version they saw)' })
  @ApiCreatedResponse({ schema: { example: DISCLOSURE_EXAMPLE } })
  async create(@Auth() auth: AuthContext, @Body() dto: CreateDisclosureDto) {
    return present(await this.disclosures.create(auth.workspaceId, dto.text));
  }

  @Get()
  @RequirePermission('consent:read')
  @ApiOperation({ summary: 'Every disclosure version, newest first' })
  @ApiOkResponse({ schema: { example: { data: [DISCLOSURE_EXAMPLE] } } })
  async list(@Auth() auth: AuthContext) {
    return { data: (await this.disclosures.list(auth.workspaceId)).map(present) };
  }

  @Get('current')
  @RequirePermission('consent:read')
  @ApiOperation({ summary: 'The version shown from now on (404 before the first)' })
  @ApiOkResponse({ schema: { example: DISCLOSURE_EXAMPLE } })
  async current(@Auth() auth: AuthContext) {
    const current = await this.disclosures.current(auth.workspaceId);
    if (!current) throw new NotFoundError('Disclosure', 'current');
    return present(current);
  }

  @Get(':id')
  @RequirePermission('consent:read')
  @ApiOperation({ summary: 'One disclosure version' })
  @ApiOkResponse({ schema: { example: DISCLOSURE_EXAMPLE } })
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    return present(await this.disclosures.get(auth.workspaceId, params.id));
  }
}

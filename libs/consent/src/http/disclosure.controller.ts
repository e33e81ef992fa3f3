import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, NotFoundError, RequirePermission } from '@optline/core';
import { Disclosure } from '../disclosures/disclosure.entity';
import { DisclosureService } from '../disclosures/disclosure.service';
import { CreateDisclosureDto } from './consent.dto';
import { DisclosureResponseDto } from './consent.responses';

function present(d: Disclosure): DisclosureResponseDto {
  return { id: d.id, version: d.version, text: d.text, createdAt: d.createdAt };
}

@ApiTags('consent')
@ApiBearerAuth()
@Controller('v1/disclosures')
export class DisclosureController {
  constructor(private readonly disclosures: DisclosureService) {}

  @Post()
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'createDisclosure', summary: 'Publish a new disclosure version (texts are never edited; opt-ins keep the version they saw)' })
  @ApiCreatedResponse({ type: DisclosureResponseDto })
  @ApiErrors(400, 401, 403)
  async create(@Auth() auth: AuthContext, @Body() dto: CreateDisclosureDto): Promise<DisclosureResponseDto> {
    return present(await this.disclosures.create(auth.workspaceId, dto.text));
  }

  @Get()
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'listDisclosures', summary: 'Every disclosure version, newest first' })
  @ApiOkResponse({ type: ListOf(DisclosureResponseDto) })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ListOfItems<DisclosureResponseDto>> {
    return { data: (await this.disclosures.list(auth.workspaceId)).map(present) };
  }

  @Get('current')
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'getCurrentDisclosure', summary: 'The version shown from now on (404 before the first)' })
  @ApiOkResponse({ type: DisclosureResponseDto })
  @ApiErrors(401, 403, 404)
  async current(@Auth() auth: AuthContext): Promise<DisclosureResponseDto> {
    const current = await this.disclosures.current(auth.workspaceId);
    if (!current) throw new NotFoundError('Disclosure', 'current');
    return present(current);
  }

  @Get(':id')
  @RequirePermission('consent:read')
  @ApiOperation({ operationId: 'getDisclosure', summary: 'One disclosure version' })
  @ApiOkResponse({ type: DisclosureResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<DisclosureResponseDto> {
    return present(await this.disclosures.get(auth.workspaceId, params.id));
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, RequirePermission } from '@optline/core';
import { CreateSegmentDto, SegmentConditionsDto, UpdateSegmentDto } from './segment.dto';
import { Segment } from './segment.entity';
import { SegmentCountResponseDto, SegmentDeletedResponseDto, SegmentResponseDto } from './segment.responses';
import { SegmentService } from './segment.service';

function present(segment: Segment): SegmentResponseDto {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description,
    conditions: (typeof segment.conditions === 'object' ? segment.conditions : { '==': [1, segment.conditions ? 1 : 0] }) as Record<string, unknown>,
    createdBy: segment.createdBy,
    createdAt: segment.createdAt,
    updatedAt: segment.updatedAt,
  };
}

@ApiTags('segments')
@ApiBearerAuth()
@Controller('v1/segments')
export class SegmentController {
  constructor(private readonly segments: SegmentService) {}

  @Post()
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'createSegment', summary: 'Save a segment: conditions over contacts, evaluated whenever it is used' })
  @ApiCreatedResponse({ type: SegmentResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@Auth() auth: AuthContext, @Body() dto: CreateSegmentDto): Promise<SegmentResponseDto> {
    return present(await this.segments.create(auth.workspaceId, dto, auth.actor));
  }

  @Post('preview')
  @HttpCode(200)
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'previewSegment', summary: 'How many contacts an unsaved definition matches now' })
  @ApiOkResponse({ type: SegmentCountResponseDto })
  @ApiErrors(400, 401, 403, 422)
  async preview(@Auth() auth: AuthContext, @Body() dto: SegmentConditionsDto): Promise<SegmentCountResponseDto> {
    return { count: await this.segments.preview(auth.workspaceId, dto.conditions) };
  }

  @Get()
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'listSegments', summary: 'Saved segments, by name' })
  @ApiOkResponse({ type: ListOf(SegmentResponseDto) })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ListOfItems<SegmentResponseDto>> {
    return { data: (await this.segments.list(auth.workspaceId)).map(present) };
  }

  @Get(':id')
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'getSegment', summary: 'One segment' })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<SegmentResponseDto> {
    return present(await this.segments.get(auth.workspaceId, params.id));
  }

  @Get(':id/count')
  @RequirePermission('flows:read')
  @ApiOperation({ operationId: 'countSegment', summary: 'How many contacts a saved segment matches now' })
  @ApiOkResponse({ type: SegmentCountResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async count(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<SegmentCountResponseDto> {
    return { count: await this.segments.count(auth.workspaceId, params.id) };
  }

  @Patch(':id')
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'updateSegment', summary: 'Rename, describe or redefine a segment' })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: UpdateSegmentDto): Promise<SegmentResponseDto> {
    return present(await this.segments.update(auth.workspaceId, params.id, dto));
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission('flows:write')
  @ApiOperation({ operationId: 'deleteSegment', summary: 'Delete a segment (campaigns already sending keep their frozen audience)' })
  @ApiOkResponse({ type: SegmentDeletedResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async delete(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<SegmentDeletedResponseDto> {
    await this.segments.delete(auth.workspaceId, params.id);
    return { id: params.id, deleted: true };
  }
}

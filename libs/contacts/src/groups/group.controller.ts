import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, IdParamDto, ListOf, ListOfItems, RequirePermission } from '@optline/core';
import { ContactGroup } from './contact-group.entity';
import { CreateGroupDto, GroupMembersDto, MemberPageQueryDto, MoveMembersDto, UpdateGroupDto } from './group.dto';
import { GroupDeletedResponseDto, GroupMemberCountResponseDto, GroupMemberIdsPageDto, GroupMoveResponseDto, GroupResponseDto } from './group.responses';
import { GroupService } from './group.service';

function present(group: ContactGroup, memberCount?: number): GroupResponseDto {
  return {
    id: group.id,
    name: group.name,
    kind: group.kind,
    system: group.kind !== 'static',
    description: group.description,
    ...(memberCount !== undefined && { memberCount }),
    createdAt: group.createdAt,
  };
}

@ApiTags('groups')
@ApiBearerAuth()
@Controller('v1/groups')
export class GroupController {
  constructor(private readonly groups: GroupService) {}

  @Post()
  @RequirePermission('contacts:write')
  @ApiOperation({ operationId: 'createGroup', summary: 'Create a static group' })
  @ApiCreatedResponse({ type: GroupResponseDto })
  @ApiErrors(400, 401, 403, 409)
  async create(@Auth() auth: AuthContext, @Body() dto: CreateGroupDto): Promise<GroupResponseDto> {
    return present(await this.groups.create(auth.workspaceId, dto.name, dto.description ?? null), 0);
  }

  @Get()
  @RequirePermission('contacts:read')
  @ApiOperation({ operationId: 'listGroups', summary: 'List groups, including the Opted-In and Opted-Out system groups, with member counts' })
  @ApiOkResponse({ type: ListOf(GroupResponseDto) })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ListOfItems<GroupResponseDto>> {
    return { data: (await this.groups.list(auth.workspaceId)).map((g) => present(g, g.memberCount)) };
  }

  @Get(':id')
  @RequirePermission('contacts:read')
  @ApiOperation({ operationId: 'getGroup', summary: 'One group with its member count' })
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<GroupResponseDto> {
    const group = await this.groups.get(auth.workspaceId, params.id);
    return present(group, await this.groups.memberCount(auth.workspaceId, group.id));
  }

  @Patch(':id')
  @RequirePermission('contacts:write')
  @ApiOperation({ operationId: 'updateGroup', summary: 'Rename or describe a static group' })
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: UpdateGroupDto): Promise<GroupResponseDto> {
    return present(await this.groups.update(auth.workspaceId, params.id, dto));
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({ operationId: 'deleteGroup', summary: 'Delete a static group (its contacts stay)' })
  @ApiOkResponse({ type: GroupDeletedResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async delete(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<GroupDeletedResponseDto> {
    await this.groups.delete(auth.workspaceId, params.id);
    return { id: params.id, deleted: true };
  }

  @Get(':id/members')
  @RequirePermission('contacts:read')
  @ApiOperation({ operationId: 'listGroupMembers', summary: 'Member contact ids, in pages (cursor = last id of the previous page)' })
  @ApiOkResponse({ type: GroupMemberIdsPageDto })
  @ApiErrors(400, 401, 403, 404)
  async members(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Query() query: MemberPageQueryDto): Promise<GroupMemberIdsPageDto> {
    const limit = query.limit ?? 1000;
    const ids = await this.groups.memberIds(auth.workspaceId, params.id, query.cursor, limit);
    return { data: ids, nextCursor: ids.length === limit ? ids[ids.length - 1] : null };
  }

  @Post(':id/members')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({ operationId: 'addGroupMembers', summary: 'Add contacts to a static group (idempotent); system groups follow consent and refuse' })
  @ApiOkResponse({ type: GroupMemberCountResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async addMembers(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: GroupMembersDto): Promise<GroupMemberCountResponseDto> {
    await this.groups.addMembers(auth.workspaceId, params.id, dto.contactIds);
    return { groupId: params.id, memberCount: await this.groups.memberCount(auth.workspaceId, params.id) };
  }

  @Post(':id/members/remove')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({ operationId: 'removeGroupMembers', summary: 'Remove contacts from a static group' })
  @ApiOkResponse({ type: GroupMemberCountResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async removeMembers(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: GroupMembersDto): Promise<GroupMemberCountResponseDto> {
    await this.groups.removeMembers(auth.workspaceId, params.id, dto.contactIds);
    return { groupId: params.id, memberCount: await this.groups.memberCount(auth.workspaceId, params.id) };
  }

  @Post(':id/members/move')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({ operationId: 'moveGroupMembers', summary: 'Move contacts from this static group to another one' })
  @ApiOkResponse({ type: GroupMoveResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async moveMembers(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: MoveMembersDto): Promise<GroupMoveResponseDto> {
    await this.groups.moveMembers(auth.workspaceId, params.id, dto.toGroupId, dto.contactIds);
    return { from: params.id, to: dto.toGroupId, moved: dto.contactIds.length };
  }
}

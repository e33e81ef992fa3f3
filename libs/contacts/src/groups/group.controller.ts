import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, IdParamDto, RequirePermission } from '@optline/core';
import { ContactGroup } from './contact-group.entity';
import { CreateGroupDto, GroupMembersDto, MemberPageQueryDto, MoveMembersDto, UpdateGroupDto } from './group.dto';
import { GroupService } from './group.service';

function present(group: ContactGroup, memberCount?: number) {
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

const GROUP_EXAMPLE = {
  id: '6b1f0c1a-5a53-4a0b-9d2c-2f7a4b1b9e10',
  name: 'VIP customers',
  kind: 'static',
  system: false,
  description: 'Spent over $500 last year',
  memberCount: 42,
  createdAt: '2026-11-22T08:00:00.000Z',
};

@ApiTags('groups')
@ApiBearerAuth()
@Controller('v1/groups')
export class GroupController {
  constructor(private readonly groups: GroupService) {}

  @Post()
  @RequirePermission('contacts:write')
  @ApiOperation({ summary: 'Create a static group' })
  @ApiCreatedResponse({ schema: { example: { ...GROUP_EXAMPLE, memberCount: 0 } } })
  async create(@Auth() auth: AuthContext, @Body() dto: CreateGroupDto) {
    return present(await this.groups.create(auth.workspaceId, dto.name, dto.description ?? null), 0);
  }

  @Get()
  @RequirePermission('contacts:read')
  @ApiOperation({ summary: 'List groups, including the Opted-In and Opted-Out system groups, with member counts' })
  @ApiOkResponse({ schema: { example: { data: [GROUP_EXAMPLE, { ...GROUP_EXAMPLE, name: 'Opted-In', kind: 'opted_in', system: true }] } } })
  async list(@Auth() auth: AuthContext) {
    return { data: (await this.groups.list(auth.workspaceId)).map((g) => present(g, g.memberCount)) };
  }

  @Get(':id')
  @RequirePermission('contacts:read')
  @ApiOperation({ summary: 'One group with its member count' })
  @ApiOkResponse({ schema: { example: GROUP_EXAMPLE } })
  async get(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    const group = await this.groups.get(auth.workspaceId, params.id);
    return present(group, await this.groups.memberCount(auth.workspaceId, group.id));
  }

  @Patch(':id')
  @RequirePermission('contacts:write')
  @ApiOperation({ summary: 'Rename or describe a static group' })
  @ApiOkResponse({ schema: { example: GROUP_EXAMPLE } })
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: UpdateGroupDto) {
    return present(await this.groups.update(auth.workspaceId, params.id, dto));
  }

  @Delete(':id')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({ summary: 'Delete a static group (its contacts stay)' })
  @ApiOkResponse({ schema: { example: { id: GROUP_EXAMPLE.id, deleted: true } } })
  async delete(@Auth() auth: AuthContext, @Param() params: IdParamDto) {
    await this.groups.delete(auth.workspaceId, params.id);
    return { id: params.id, deleted: true };
  }

  @Get(':id/members')
  @RequirePermission('contacts:read')
  @ApiOperation({ summary: 'Member contact ids, in pages (cursor = last id of the previous page)' })
  @ApiOkResponse({ schema: { example: { data: ['3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10'], nextCursor: null } } })
  async members(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Query() query: MemberPageQueryDto) {
    const limit = query.limit ?? 1000;
    const ids = await this.groups.memberIds(auth.workspaceId, params.id, query.cursor, limit);
    return { data: ids, nextCursor: ids.length === limit ? ids[ids.length - 1] : null };
  }

  @Post(':id/members')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({ summary: 'Add contacts to a static group (idempotent); system groups follow consent and refuse' })
  @ApiOkResponse({ schema: { example: { groupId: GROUP_EXAMPLE.id, memberCount: 43 } } })
  async addMembers(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: GroupMembersDto) {
    await this.groups.addMembers(auth.workspaceId, params.id, dto.contactIds);
    return { groupId: params.id, memberCount: await this.groups.memberCount(auth.workspaceId, params.id) };
  }

  @Post(':id/members/remove')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({ summary: 'Remove contacts from a static group' })
  @ApiOkResponse({ schema: { example: { groupId: GROUP_EXAMPLE.id, memberCount: 41 } } })
  async removeMembers(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: GroupMembersDto) {
    await this.groups.removeMembers(auth.workspaceId, params.id, dto.contactIds);
    return { groupId: params.id, memberCount: await this.groups.memberCount(auth.workspaceId, params.id) };
  }

  @Post(':id/members/move')
  @HttpCode(200)
  @RequirePermission('contacts:write')
  @ApiOperation({ summary: 'Move contacts from this static group to another one' })
  @ApiOkResponse({ schema: { example: { from: GROUP_EXAMPLE.id, to: '7c2e…', moved: 2 } } })
  async moveMembers(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: MoveMembersDto) {
    await this.groups.moveMembers(auth.workspaceId, params.id, dto.toGroupId, dto.contactIds);
    return { from: params.id, to: dto.toGroupId, moved: dto.contactIds.length };
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditTrail } from '../audit/audit-trail.service';
import { Auth, AuthContext, RequirePermission } from '../auth/auth-context';
import { IdParamDto } from '../http/id-param.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpdateUserDto, UserListDto, UserListItemDto } from './identity.dto';
import type { AppUser } from './user.entity';
import { UserService } from './user.service';

function present(user: AppUser): UserListItemDto {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, createdAt: user.createdAt, lastSignInAt: user.lastSignInAt };
}

@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly users: UserService,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  // Everyone may see who is on the team; only admins change it.
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'listUsers', summary: "The workspace's people who sign in to the console (any role; changing them needs users:manage)" })
  @ApiOkResponse({ type: UserListDto })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<UserListDto> {
    return { items: (await this.users.list(auth.workspaceId)).map(present) };
  }

  @Patch(':id')
  @HttpCode(200)
  @RequirePermission('users:manage')
  @ApiOperation({ operationId: 'updateUser', summary: "Change a person's name or role; the role applies at their next request. 409 last_admin." })
  @ApiOkResponse({ type: UserListItemDto })
  @ApiErrors(400, 401, 403, 404, { status: 409, description: 'last_admin: the workspace would have no admin' })
  async update(@Auth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: UpdateUserDto): Promise<UserListItemDto> {
    const user = await this.users.update(auth.workspaceId, params.id, dto);
    await this.audit.record(auth.workspaceId, auth.actor, 'user.updated', user.id, { ...dto });
    return present(user);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('users:manage')
  @ApiOperation({ operationId: 'removeUser', summary: 'Remove a person; their sessions end at once. The last admin cannot be removed (409 last_admin).' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(400, 401, 403, 404, { status: 409, description: 'last_admin: the workspace would have no admin' })
  async remove(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<void> {
    // Their sessions go with the row (ON DELETE CASCADE), so their next request is a 401.
    await this.users.remove(auth.workspaceId, params.id);
    await this.audit.record(auth.workspaceId, auth.actor, 'user.removed', params.id);
  }
}

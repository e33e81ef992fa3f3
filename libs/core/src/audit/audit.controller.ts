import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission } from '../auth/auth-context';
import { CursorPageQueryDto } from '../http/cursor-page-query.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { AuditTrail } from './audit-trail.service';

export class AuditEventDto {
  @ApiProperty({ format: 'uuid', example: '6a0c1f3e-2b4d-4e6f-8a1c-3e5f7a9b1c2d' })
  id: string;

  @ApiProperty({ example: 'user:5d1f0c2e-7b1a-4c56-9a0e-3c9f1b2a4d77', description: '`user:<id>`, `api_key:<id>` or `setup`' })
  actor: string;

  @ApiProperty({ example: 'plugin.enabled' })
  action: string;

  @ApiProperty({ type: String, nullable: true, example: 'shopify' })
  subject: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { role: 'support' } })
  details: Record<string, unknown>;

  @ApiProperty({ example: '2026-12-07T09:00:00.000Z' })
  createdAt: Date;
}

export class AuditPageDto {
  @ApiProperty({ type: AuditEventDto, isArray: true })
  items: AuditEventDto[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @RequirePermission('users:manage')
  @ApiOperation({ operationId: 'listAuditEvents', summary: 'Who did what, newest first: invitations, people, plugin changes (consent acts are in the consent ledger)' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(400, 401, 403, 422)
  async list(@Auth() auth: AuthContext, @Query() query: CursorPageQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.list(auth.workspaceId, query.limit ?? 50, query.cursor);
    return {
      items: page.items.map((e) => ({ id: e.id, actor: e.actor, action: e.action, subject: e.subject, details: e.details, createdAt: e.createdAt })),
      nextCursor: page.nextCursor,
    };
  }
}

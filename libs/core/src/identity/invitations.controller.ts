import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditTrail } from '../audit/audit-trail.service';
import { Auth, AuthContext, Public, RequirePermission } from '../auth/auth-context';
import { IdParamDto } from '../http/id-param.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import {
  AcceptInvitationDto,
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationListDto,
  InvitationPreviewDto,
  LinkTokenParamDto,
  PasswordResetPreviewDto,
  ResetPasswordDto,
  SignedInDto,
} from './identity.dto';
import { InvitationService } from './invitation.service';
import { PasswordResetService } from './password-reset.service';
import { SignInService } from './sign-in.service';

@ApiTags('users')
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationService,
    private readonly signIns: SignInService,
    private readonly audit: AuditTrail,
  ) {}

  @Post()
  @RequirePermission('users:manage')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ operationId: 'createInvitation', summary: 'Invite a person with a role: the link is in the answer once (its token is stored hashed) and works for 7 days' })
  @ApiCreatedResponse({ type: CreatedInvitationDto })
  @ApiErrors(400, 401, 403, { status: 409, description: 'email_taken: an account with this email exists' })
  async create(@Auth() auth: AuthContext, @Body() dto: CreateInvitationDto): Promise<CreatedInvitationDto> {
    const { invitation, url } = await this.invitations.issue(auth.workspaceId, auth.actor, dto.email, dto.role);
    await this.audit.record(auth.workspaceId, auth.actor, 'invitation.created', invitation.id, { email: invitation.email, role: invitation.role });
    return { id: invitation.id, email: invitation.email, role: invitation.role, url, expiresAt: invitation.expiresAt };
  }

  @Get()
  @RequirePermission('users:manage')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ operationId: 'listInvitations', summary: "The workspace's invitations, newest first (never their links)" })
  @ApiOkResponse({ type: InvitationListDto })
  @ApiErrors(401, 403)
  async list(@Auth() auth: AuthContext): Promise<InvitationListDto> {
    const items = await this.invitations.list(auth.workspaceId);
    return {
      items: items.map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        status: this.invitations.status(i),
        invitedBy: i.invitedBy,
        createdAt: i.createdAt,
        expiresAt: i.expiresAt,
        acceptedAt: i.acceptedAt,
      })),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('users:manage')
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ operationId: 'revokeInvitation', summary: 'Withdraw an invitation; its link stops working' })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiErrors(400, 401, 403, 404)
  async revoke(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<void> {
    await this.invitations.revoke(auth.workspaceId, params.id);
    await this.audit.record(auth.workspaceId, auth.actor, 'invitation.revoked', params.id);
  }

  @Get('accept/:token')
  @Public()
  @ApiOperation({ operationId: 'getInvitation', summary: 'What an invitation link is for: 404 unknown, 410 used, withdrawn or expired' })
  @ApiOkResponse({ type: InvitationPreviewDto })
  @ApiErrors(400, { status: 404, description: 'invitation_not_found' }, { status: 410, description: 'invitation_accepted, invitation_revoked or invitation_expired' })
  preview(@Param() params: LinkTokenParamDto): Promise<InvitationPreviewDto> {
    return this.invitations.preview(params.token);
  }

  @Post('accept/:token')
  @Public()
  @ApiOperation({ operationId: 'acceptInvitation', summary: 'Accept an invitation: choose a name and password (12+ characters), and sign in' })
  @ApiCreatedResponse({ type: SignedInDto })
  @ApiErrors(
    400,
    { status: 404, description: 'invitation_not_found' },
    { status: 409, description: 'email_taken: an account with this email was made meanwhile' },
    { status: 410, description: 'invitation_accepted, invitation_revoked or invitation_expired' },
    { status: 422, description: 'password_too_short: details[0].field is password' },
  )
  async accept(@Param() params: LinkTokenParamDto, @Body() dto: AcceptInvitationDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignedInDto> {
    const { user, workspace } = await this.invitations.accept(params.token, dto.displayName, dto.password);
    await this.audit.record(workspace.id, `user:${user.id}`, 'invitation.accepted', user.id, { email: user.email, role: user.role });
    return this.signIns.signIn(req, res, user, workspace);
  }
}

@ApiTags('users')
@Controller('v1/password-resets')
export class PasswordResetsController {
  constructor(private readonly resets: PasswordResetService) {}

  @Get(':token')
  @Public()
  @ApiOperation({ operationId: 'getPasswordReset', summary: 'The account a reset link (printed by `optline user reset-password`) is for: 404 unknown, 410 used or expired' })
  @ApiOkResponse({ type: PasswordResetPreviewDto })
  @ApiErrors(400, { status: 404, description: 'reset_not_found' }, { status: 410, description: 'reset_used or reset_expired' })
  preview(@Param() params: LinkTokenParamDto): Promise<PasswordResetPreviewDto> {
    return this.resets.preview(params.token);
  }

  @Post(':token')
  @HttpCode(204)
  @Public()
  @ApiOperation({ operationId: 'completePasswordReset', summary: 'Set a new password with a reset link; every session of the account ends' })
  @ApiNoContentResponse({ description: 'Password set; sign in with it' })
  @ApiErrors(400, { status: 404, description: 'reset_not_found' }, { status: 410, description: 'reset_used or reset_expired' }, { status: 422, description: 'password_too_short' })
  async complete(@Param() params: LinkTokenParamDto, @Body() dto: ResetPasswordDto): Promise<void> {
    await this.resets.complete(params.token, dto.password);
  }
}

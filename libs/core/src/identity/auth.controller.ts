import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Auth, AuthContext, Public, SignedIn } from '../auth/auth-context';
import { ROLE_PERMISSIONS } from '../auth/permissions';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { IdParamDto } from '../http/id-param.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { WorkspaceService } from '../workspaces/workspace.service';
import { ChangePasswordDto, LoginDto, MeDto, SessionListDto, SignedInDto } from './identity.dto';
import { LoginThrottle } from './login-throttle.service';
import { clearSessionCookies, SESSION_COOKIE } from './session-cookies';
import { SessionService } from './session.service';
import { presentUser, presentWorkspaceSummary, SignInService } from './sign-in.service';
import { normalizeEmail, UserService } from './user.service';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly users: UserService,
    private readonly sessions: SessionService,
    private readonly signIns: SignInService,
    private readonly throttle: LoginThrottle,
    private readonly workspaces: WorkspaceService,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    operationId: 'login',
    summary: `Sign in with email and password; sets the ${SESSION_COOKIE} (httpOnly) and optline_csrf cookies. 401 invalid_credentials; 429 after repeated failures (Retry-After).`,
  })
  @ApiOkResponse({ type: SignedInDto })
  @ApiErrors(400, { status: 401, description: 'invalid_credentials: the email or password is wrong' }, { status: 429, description: 'too_many_attempts: too many failed sign-ins for this email or address; see Retry-After' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignedInDto> {
    const email = normalizeEmail(dto.email);
    await this.throttle.assertAllowed(email, req.ip);
    const user = await this.users.verifyCredentials(email, dto.password);
    if (!user) {
      await this.throttle.recordFailure(email, req.ip);
      throw new DomainError('unauthorized', 'invalid_credentials', 'The email or password is wrong');
    }
    await this.throttle.clear(email);
    return this.signIns.signIn(req, res, user, await this.workspaces.get(user.workspaceId));
  }

  @Post('logout')
  @HttpCode(204)
  @SignedIn()
  @ApiCookieAuth()
  @ApiOperation({ operationId: 'logout', summary: 'End this session and clear its cookies' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(401, { status: 403, description: 'csrf_failed: X-CSRF-Token missing or not this session\'s' })
  async logout(@Auth() auth: AuthContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.revoke(auth.workspaceId, auth.userId!, auth.sessionId!);
    clearSessionCookies(res, this.config);
  }

  @Get('me')
  @SignedIn()
  @ApiCookieAuth()
  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in person, their workspace and the permissions of their role' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors({ status: 401, description: 'Not signed in (missing_credentials), the session ended (session_expired), or an API key (session_required)' })
  async me(@Auth() auth: AuthContext): Promise<MeDto> {
    const [user, workspace] = await Promise.all([this.users.get(auth.workspaceId, auth.userId!), this.workspaces.get(auth.workspaceId)]);
    return { user: presentUser(user), workspace: presentWorkspaceSummary(workspace), permissions: [...ROLE_PERMISSIONS[user.role]] };
  }

  @Post('password')
  @HttpCode(204)
  @SignedIn()
  @ApiCookieAuth()
  @ApiOperation({ operationId: 'changePassword', summary: 'Change your own password; your other sessions end, this one stays' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiErrors(
    400,
    401,
    { status: 403, description: 'wrong_password (details[0].field is currentPassword) or csrf_failed' },
    { status: 422, description: 'password_too_short: details[0].field is newPassword' },
    { status: 429, description: 'too_many_attempts: see Retry-After' },
  )
  async changePassword(@Auth() auth: AuthContext, @Body() dto: ChangePasswordDto, @Req() req: Request): Promise<void> {
    // Guessing the current password through a stolen session is limited like guessing it at sign-in.
    const { email } = await this.users.get(auth.workspaceId, auth.userId!);
    await this.throttle.assertAllowed(email, req.ip);
    try {
      await this.users.changeOwnPassword(auth.workspaceId, auth.userId!, auth.sessionId!, dto.currentPassword, dto.newPassword);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'wrong_password') await this.throttle.recordFailure(email, req.ip);
      throw error;
    }
  }

  @Get('sessions')
  @SignedIn()
  @ApiCookieAuth()
  @ApiOperation({ operationId: 'listSessions', summary: "The signed-in person's live sessions, newest first" })
  @ApiOkResponse({ type: SessionListDto })
  @ApiErrors(401)
  async listSessions(@Auth() auth: AuthContext): Promise<SessionListDto> {
    const sessions = await this.sessions.listLive(auth.workspaceId, auth.userId!);
    return {
      items: sessions.map((s) => ({ id: s.id, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, userAgent: s.userAgent, ip: s.ip, current: s.id === auth.sessionId })),
    };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @SignedIn()
  @ApiCookieAuth()
  @ApiOperation({ operationId: 'revokeSession', summary: 'End one of your sessions (another browser); it is signed out at its next request' })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiErrors(400, 401, { status: 403, description: 'csrf_failed' }, { status: 404, description: 'No such session of yours' })
  async revokeSession(@Auth() auth: AuthContext, @Param() params: IdParamDto): Promise<void> {
    await this.sessions.revoke(auth.workspaceId, auth.userId!, params.id);
  }
}


import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { Workspace } from '../workspaces/workspace.entity';
import type { SignedInDto, UserDto, WorkspaceSummaryDto } from './identity.dto';
import { setSessionCookies } from './session-cookies';
import { SessionService } from './session.service';
import type { AppUser } from './user.entity';

export function presentUser(user: AppUser): UserDto {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

export function presentWorkspaceSummary(workspace: Workspace): WorkspaceSummaryDto {
  return { id: workspace.id, name: workspace.name, brandName: workspace.brandName };
}

/** Starts a session for a person who proved who they are (login, setup, accepted invitation) and sets its cookies. */
@Injectable()
export class SignInService {
  constructor(
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
  ) {}

  async signIn(req: Request, res: Response, user: AppUser, workspace: Workspace): Promise<SignedInDto> {
    const { token, csrfToken } = await this.sessions.start(user, { userAgent: req.headers['user-agent'] ?? null, ip: req.ip ?? null });
    setSessionCookies(res, this.config, token, csrfToken);
    return { user: presentUser(user), workspace: presentWorkspaceSummary(workspace), csrfToken };
  }
}

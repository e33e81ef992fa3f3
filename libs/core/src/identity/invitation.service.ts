import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import type { Role } from '../auth/permissions';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { DomainError, NotFoundError } from '../errors/domain-error';
import { Workspace } from '../workspaces/workspace.entity';
import { hashToken, newToken } from './tokens';
import { UserInvitation } from './user-invitation.entity';
import { AppUser } from './user.entity';
import { normalizeEmail, UserService } from './user.service';

/** An invitation link works for this long. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 3600_000;
const INVITATION_PREFIX = 'oli_';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface IssuedInvitation {
  invitation: UserInvitation;
  /** `${PUBLIC_URL}/invite/<token>`: shown once, never stored. */
  url: string;
}

export interface InvitationPreview {
  email: string;
  role: Role;
  workspaceName: string;
}

/** Admins invite people by link; the invited person chooses a name and password (docs/decisions/0171). */
@Injectable()
export class InvitationService {
  constructor(
    @InjectRepository(UserInvitation) private readonly invitations: Repository<UserInvitation>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  status(invitation: UserInvitation): InvitationStatus {
    if (invitation.acceptedAt) return 'accepted';
    if (invitation.revokedAt) return 'revoked';
    return invitation.expiresAt <= this.clock.now() ? 'expired' : 'pending';
  }

  /** A new link for an email; an earlier pending link for the same email in the workspace stops working. */
  async issue(workspaceId: string, actor: string, email: string, role: Role): Promise<IssuedInvitation> {
    const normalized = normalizeEmail(email);
    if (await this.users.byEmail(normalized)) {
      throw new DomainError('conflict', 'email_taken', `An account with the email ${normalized} already exists`, [{ field: 'email', message: 'already has an account' }]);
    }
    const token = newToken(INVITATION_PREFIX);
    const now = this.clock.now();
    const invitation = await this.dataSource.transaction(async (manager) => {
      await manager.update(UserInvitation, { workspaceId, email: normalized, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: now });
      return manager.save(
        manager.create(UserInvitation, {
          workspaceId,
          email: normalized,
          role,
          tokenHash: hashToken(token),
          invitedBy: actor,
          createdAt: now,
          expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
          acceptedAt: null,
          acceptedUserId: null,
          revokedAt: null,
        }),
      );
    });
    return { invitation: { ...invitation, tokenHash: undefined } as unknown as UserInvitation, url: `${this.config.publicUrl}/invite/${token}` };
  }

  list(workspaceId: string): Promise<UserInvitation[]> {
    return this.invitations.find({ where: { workspaceId }, order: { createdAt: 'DESC' } });
  }

  async revoke(workspaceId: string, id: string): Promise<void> {
    const invitation = await this.invitations.findOne({ where: { workspaceId, id } });
    if (!invitation) throw new NotFoundError('Invitation', id);
    if (!invitation.revokedAt && !invitation.acceptedAt) await this.invitations.update({ workspaceId, id }, { revokedAt: this.clock.now() });
  }

  /** What the accept page shows; 404 for an unknown link, 410 for one used, revoked or expired. */
  async preview(token: string): Promise<InvitationPreview> {
    const invitation = await this.usable(token);
    const workspace = await this.dataSource.getRepository(Workspace).findOneOrFail({ where: { id: invitation.workspaceId } });
    return { email: invitation.email, role: invitation.role, workspaceName: workspace.name };
  }

  /** Creates the invited person's account; the link is then used up. */
  async accept(token: string, displayName: string, password: string): Promise<{ user: AppUser; workspace: Workspace }> {
    return this.dataSource.transaction(async (manager) => {
      const found = await this.usable(token);
      // Locked so two tabs accepting the same link at once make one account.
      const invitation = await manager.findOne(UserInvitation, { where: { id: found.id, workspaceId: found.workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!invitation || this.status(invitation) !== 'pending') throw this.gone(invitation ? this.status(invitation) : 'revoked');
      const user = await this.users.create({ workspaceId: invitation.workspaceId, email: invitation.email, displayName, role: invitation.role, password }, manager);
      const now = this.clock.now();
      await manager.update(UserInvitation, { id: invitation.id, workspaceId: invitation.workspaceId }, { acceptedAt: now, acceptedUserId: user.id });
      await manager.update(AppUser, { id: user.id, workspaceId: user.workspaceId }, { lastSignInAt: now });
      const workspace = await manager.findOneOrFail(Workspace, { where: { id: invitation.workspaceId } });
      return { user: { ...user, lastSignInAt: now }, workspace };
    });
  }

  private async usable(token: string): Promise<UserInvitation> {
    const invitation = token.startsWith(INVITATION_PREFIX) && token.length < 200 ? await this.invitations.findOne({ where: { tokenHash: hashToken(token) } }) : null;
    if (!invitation) throw new DomainError('not_found', 'invitation_not_found', 'This invitation link is unknown');
    const status = this.status(invitation);
    if (status !== 'pending') throw this.gone(status);
    return invitation;
  }

  private gone(status: InvitationStatus): DomainError {
    const message = status === 'accepted' ? 'This invitation has already been used' : status === 'expired' ? 'This invitation has expired; ask for a new one' : 'This invitation was withdrawn';
    return new DomainError('gone', `invitation_${status}`, message);
  }
}

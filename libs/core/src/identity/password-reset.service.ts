import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { assertPasswordAcceptable } from './password-hasher';
import { PasswordReset } from './password-reset.entity';
import { hashToken, newToken } from './tokens';
import { AppUser } from './user.entity';
import { UserService } from './user.service';

/** A reset link works for this long, once. */
export const PASSWORD_RESET_LIFETIME_MS = 24 * 3600_000;
const RESET_PREFIX = 'olr_';

/** One-time password reset links, printed by the operator's CLI for a person locked out. */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** `${PUBLIC_URL}/reset-password/<token>` for the account with this email; 404 when there is none. */
  async issue(email: string): Promise<{ user: AppUser; url: string; expiresAt: Date }> {
    const user = await this.users.byEmail(email);
    if (!user) throw new DomainError('not_found', 'user_not_found', `No account has the email ${email}`);
    const token = newToken(RESET_PREFIX);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_LIFETIME_MS);
    await this.dataSource.getRepository(PasswordReset).insert({ workspaceId: user.workspaceId, userId: user.id, tokenHash: hashToken(token), createdAt: now, expiresAt, usedAt: null });
    return { user, url: `${this.config.publicUrl}/reset-password/${token}`, expiresAt };
  }

  /** The email the link resets; 404 unknown, 410 used or expired. */
  async preview(token: string): Promise<{ email: string }> {
    const reset = await this.usable(token);
    const user = await this.users.get(reset.workspaceId, reset.userId);
    return { email: user.email };
  }

  /** Sets the new password, uses the link up and signs the person out everywhere. */
  async complete(token: string, password: string): Promise<void> {
    assertPasswordAcceptable(password);
    const reset = await this.usable(token);
    const claimed = await this.dataSource
      .getRepository(PasswordReset)
      .createQueryBuilder()
      .update()
      .set({ usedAt: this.clock.now() })
      .where('id = :id AND workspace_id = :ws AND used_at IS NULL', { id: reset.id, ws: reset.workspaceId })
      .execute();
    if (!claimed.affected) throw new DomainError('gone', 'reset_used', 'This reset link has already been used');
    await this.users.setPassword(reset.workspaceId, reset.userId, password);
  }

  private async usable(token: string): Promise<PasswordReset> {
    const reset =
      token.startsWith(RESET_PREFIX) && token.length < 200 ? await this.dataSource.getRepository(PasswordReset).findOne({ where: { tokenHash: hashToken(token) } }) : null;
    if (!reset) throw new DomainError('not_found', 'reset_not_found', 'This reset link is unknown');
    if (reset.usedAt) throw new DomainError('gone', 'reset_used', 'This reset link has already been used');
    if (reset.expiresAt <= this.clock.now()) throw new DomainError('gone', 'reset_expired', 'This reset link has expired; ask the operator for a new one');
    return reset;
  }
}

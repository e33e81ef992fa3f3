import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { Role } from '../auth/permissions';
import { Clock } from '../clock/clock';
import { DomainError, NotFoundError } from '../errors/domain-error';
import { assertPasswordAcceptable, hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from './password-hasher';
import { SessionService } from './session.service';
import { AppUser } from './user.entity';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewUser {
  workspaceId: string;
  email: string;
  displayName: string;
  role: Role;
  password: string;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

/** The people of a workspace: accounts, passwords and roles. */
@Injectable()
export class UserService {
  constructor(
    @InjectRepository(AppUser) private readonly users: Repository<AppUser>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly clock: Clock,
  ) {}

  /** Creates an account (inside the caller's transaction when given one); 409 when the email has one. */
  async create(input: NewUser, manager: EntityManager = this.users.manager): Promise<AppUser> {
    assertPasswordAcceptable(input.password);
    const passwordHash = await hashPassword(input.password);
    const email = normalizeEmail(input.email);
    try {
      const user = await manager.save(
        manager.create(AppUser, { workspaceId: input.workspaceId, email, displayName: input.displayName.trim(), role: input.role, passwordHash, lastSignInAt: null }),
      );
      return { ...user, passwordHash: undefined } as unknown as AppUser;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', 'email_taken', `An account with the email ${email} already exists`, [{ field: 'email', message: 'already has an account' }]);
      throw error;
    }
  }

  /** The account whose password this is; null for an unknown email or a wrong password (same time either way). */
  async verifyCredentials(email: string, password: string): Promise<AppUser | null> {
    const user = await this.users.findOne({ where: { email: normalizeEmail(email) }, select: { id: true, workspaceId: true, email: true, displayName: true, role: true, passwordHash: true, createdAt: true, lastSignInAt: true } });
    if (!user) return verifyAgainstNothing(password).then(() => null);
    if (!(await verifyPassword(password, user.passwordHash))) return null;
    const now = this.clock.now();
    const changes: Partial<AppUser> = { lastSignInAt: now };
    if (needsRehash(user.passwordHash)) changes.passwordHash = await hashPassword(password);
    await this.users.update({ id: user.id, workspaceId: user.workspaceId }, changes);
    const { passwordHash: _omit, ...rest } = user;
    return { ...rest, lastSignInAt: now } as AppUser;
  }

  async markSignedIn(user: AppUser): Promise<void> {
    await this.users.update({ id: user.id, workspaceId: user.workspaceId }, { lastSignInAt: this.clock.now() });
  }

  list(workspaceId: string): Promise<AppUser[]> {
    return this.users.find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  async get(workspaceId: string, id: string): Promise<AppUser> {
    const user = await this.users.findOne({ where: { workspaceId, id } });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  byEmail(email: string): Promise<AppUser | null> {
    return this.users.findOne({ where: { email: normalizeEmail(email) } });
  }

  async anyExists(): Promise<boolean> {
    return (await this.users.count({ take: 1 })) > 0;
  }

  /** Changes a name or a role; taking admin from the last admin is refused (409). */
  async update(workspaceId: string, id: string, changes: { role?: Role; displayName?: string }): Promise<AppUser> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lockedUser(manager, workspaceId, id);
      if (changes.role && changes.role !== 'admin' && user.role === 'admin') await this.assertAnotherAdmin(manager, workspaceId, id);
      if (changes.role) user.role = changes.role;
      if (changes.displayName !== undefined) user.displayName = changes.displayName.trim();
      await manager.update(AppUser, { id, workspaceId }, { role: user.role, displayName: user.displayName });
      return user;
    });
  }

  /** Removes an account and with it its sessions; the last admin cannot be removed (409). */
  async remove(workspaceId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.lockedUser(manager, workspaceId, id);
      if (user.role === 'admin') await this.assertAnotherAdmin(manager, workspaceId, id);
      await manager.delete(AppUser, { id, workspaceId });
    });
  }

  /** A person changes their own password: the current one must match; their other sessions end. */
  async changeOwnPassword(workspaceId: string, id: string, keepSessionId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findOne({ where: { workspaceId, id }, select: { id: true, passwordHash: true } });
    if (!user) throw new NotFoundError('User', id);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new DomainError('forbidden', 'wrong_password', 'The current password is wrong', [{ field: 'currentPassword', message: 'does not match' }]);
    }
    assertPasswordAcceptable(newPassword, 'newPassword');
    await this.users.update({ id, workspaceId }, { passwordHash: await hashPassword(newPassword) });
    await this.sessions.revokeOthers(workspaceId, id, keepSessionId);
  }

  /** Sets a new password and signs the person out everywhere. */
  async setPassword(workspaceId: string, id: string, password: string): Promise<void> {
    assertPasswordAcceptable(password);
    const passwordHash = await hashPassword(password);
    const result = await this.users.update({ id, workspaceId }, { passwordHash });
    if (!result.affected) throw new NotFoundError('User', id);
    await this.sessions.revokeAll(workspaceId, id);
  }

  private async lockedUser(manager: EntityManager, workspaceId: string, id: string): Promise<AppUser> {
    // Admins of the workspace are locked together, so two admins removing each other at once cannot leave none.
    const admins = await manager.query(`SELECT id FROM app_user WHERE workspace_id = $1 AND (role = 'admin' OR id = $2) ORDER BY id FOR UPDATE`, [workspaceId, id]);
    if (!admins.some((row: { id: string }) => row.id === id)) throw new NotFoundError('User', id);
    const user = await manager.findOne(AppUser, { where: { workspaceId, id } });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  private async assertAnotherAdmin(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    // The rows are locked (lockedUser), so this count cannot change before the caller commits.
    const admins = await manager.count(AppUser, { where: { workspaceId, role: 'admin' } });
    if (admins <= 1) {
      throw new DomainError('conflict', 'last_admin', `User ${id} is the workspace's last admin; make someone else admin first`);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, LessThanOrEqual, Repository } from 'typeorm';
import { Clock } from '../clock/clock';
import { DomainError } from '../errors/domain-error';
import { Workspace } from '../workspaces/workspace.entity';
import { newWorkspaceValues } from '../workspaces/new-workspace';
import { assertPasswordAcceptable } from './password-hasher';
import { SetupCode } from './setup-code.entity';
import { hashToken } from './tokens';
import { AppUser } from './user.entity';
import { UserService } from './user.service';

/** A printed code works for this long; every boot while setup is needed prints a new one. */
export const SETUP_CODE_LIFETIME_MS = 7 * 24 * 3600_000;
/** Serialises first-run setup across api processes (an arbitrary constant, like the migration lock). */
const SETUP_LOCK_ID = 7_402_170;
/** Crockford's base32 without look-alikes: 16 characters = 80 bits, read off a log and typed by hand. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface FirstRunInput {
  setupCode: string;
  workspaceName: string;
  brandName: string;
  email: string;
  password: string;
  displayName: string;
}

/** `ABCD-EFGH-JKMN-PQRS` → `ABCDEFGHJKMNPQRS`: dashes, spaces and case do not matter when typing it. */
function canonicalCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * First run: while no person has an account, each booting hub prints a one-time code; whoever
 * can read the hub's log can create the first workspace and its admin (docs/decisions/0172).
 */
@Injectable()
export class SetupService {
  constructor(
    @InjectRepository(SetupCode) private readonly codes: Repository<SetupCode>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserService,
    private readonly clock: Clock,
  ) {}

  async needsSetup(): Promise<boolean> {
    return !(await this.users.anyExists());
  }

  /**
   * A fresh code to print, stored hashed so any api process accepts it; null once someone has
   * an account. Codes printed by other processes keep working until they expire or setup is done.
   */
  async issueCode(): Promise<string | null> {
    if (!(await this.needsSetup())) return null;
    const now = this.clock.now();
    await this.codes.delete({ expiresAt: LessThanOrEqual(now) });
    const raw = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    await this.codes.insert({ codeHash: hashToken(raw), createdAt: now, expiresAt: new Date(now.getTime() + SETUP_CODE_LIFETIME_MS) });
    return raw.match(/.{4}/g)!.join('-');
  }

  /** Creates the first workspace and its admin; 409 once anyone has an account, 403 for a wrong code. */
  async complete(input: FirstRunInput): Promise<{ user: AppUser; workspace: Workspace }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK_ID]);
      if (await manager.exists(AppUser, {})) throw new DomainError('conflict', 'setup_done', 'This hub is already set up; sign in instead');
      const code = await manager.findOne(SetupCode, { where: { codeHash: hashToken(canonicalCode(input.setupCode)) } });
      if (!code || code.expiresAt <= this.clock.now()) {
        throw new DomainError('forbidden', 'setup_code_invalid', 'The setup code is wrong or has expired; it is printed in the hub log at boot', [{ field: 'setupCode', message: 'is not a current setup code' }]);
      }
      assertPasswordAcceptable(input.password);
      const workspace = await manager.save(manager.create(Workspace, newWorkspaceValues({ name: input.workspaceName.trim(), brandName: input.brandName.trim() })));
      const user = await this.users.create({ workspaceId: workspace.id, email: input.email, displayName: input.displayName, role: 'admin', password: input.password }, manager);
      const now = this.clock.now();
      await manager.update(AppUser, { id: user.id, workspaceId: workspace.id }, { lastSignInAt: now });
      // Every code dies with setup, including ones other processes printed.
      await manager.createQueryBuilder().delete().from(SetupCode).execute();
      return { user: { ...user, lastSignInAt: now }, workspace };
    });
  }
}

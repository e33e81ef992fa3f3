import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { Clock } from '../clock/clock';
import { NotFoundError } from '../errors/domain-error';
import { SESSION_LIFETIME_MS } from './session-cookies';
import { hashToken, newToken, sameHash } from './tokens';
import { UserSession } from './user-session.entity';
import { AppUser } from './user.entity';

/** A session that sees no request for this long ends, whatever its expiry. */
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
/** last_seen_at is written at most this often, so reads do not all turn into writes. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

const SESSION_PREFIX = 'ols_';

export interface StartedSession {
  session: UserSession;
  /** Goes in the httpOnly cookie; never stored. */
  token: string;
  /** Goes in the readable cookie and the answer; the console echoes it in X-CSRF-Token. */
  csrfToken: string;
}

export interface ResolvedSession {
  session: UserSession;
  user: AppUser;
}

export interface ClientMeta {
  userAgent?: string | null;
  ip?: string | null;
}

/** Starts, resolves, lists and ends the sessions of signed-in people (docs/decisions/0171). */
@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(UserSession) private readonly sessions: Repository<UserSession>,
    private readonly clock: Clock,
  ) {}

  async start(user: Pick<AppUser, 'id' | 'workspaceId'>, meta: ClientMeta): Promise<StartedSession> {
    const token = newToken(SESSION_PREFIX);
    const csrfToken = newToken('');
    const now = this.clock.now();
    const session = await this.sessions.save(
      this.sessions.create({
        workspaceId: user.workspaceId,
        userId: user.id,
        tokenHash: hashToken(token),
        csrfHash: hashToken(csrfToken),
        userAgent: meta.userAgent?.slice(0, 400) ?? null,
        ip: meta.ip ?? null,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
        revokedAt: null,
      }),
    );
    return { session, token, csrfToken };
  }

  /** The live session and its user for a cookie's token; null when unknown, revoked, expired or idle too long. */
  async resolve(token: string): Promise<ResolvedSession | null> {
    if (!token.startsWith(SESSION_PREFIX) || token.length > 200) return null;
    const session = await this.sessions.findOne({ where: { tokenHash: hashToken(token), revokedAt: IsNull() }, relations: { user: true } });
    if (!session?.user) return null;
    const now = this.clock.now();
    if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
      session.lastSeenAt = now;
      await this.sessions.update({ id: session.id, workspaceId: session.workspaceId }, { lastSeenAt: now });
    }
    const { user, ...rest } = session;
    return { session: rest as UserSession, user };
  }

  /** Whether a presented X-CSRF-Token is the one issued with this session. */
  csrfMatches(session: UserSession, presented: string | undefined): boolean {
    return typeof presented === 'string' && presented.length > 0 && presented.length <= 200 && sameHash(hashToken(presented), session.csrfHash);
  }

  /** A user's live sessions, newest first. */
  async listLive(workspaceId: string, userId: string): Promise<UserSession[]> {
    const now = this.clock.now();
    const rows = await this.sessions.find({ where: { workspaceId, userId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
    return rows.filter((s) => s.expiresAt > now && now.getTime() - s.lastSeenAt.getTime() <= SESSION_IDLE_MS);
  }

  /** Ends one of the user's own sessions; someone else's is a 404. */
  async revoke(workspaceId: string, userId: string, id: string): Promise<void> {
    const result = await this.sessions.update({ id, workspaceId, userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    if (!result.affected) {
      const exists = await this.sessions.exists({ where: { id, workspaceId, userId } });
      if (!exists) throw new NotFoundError('Session', id);
    }
  }

  /** Ends every session of a user but one (the one that changed the password). */
  async revokeOthers(workspaceId: string, userId: string, keepId: string): Promise<void> {
    await this.sessions.update({ workspaceId, userId, revokedAt: IsNull(), id: Not(keepId) }, { revokedAt: this.clock.now() });
  }

  /** Ends every session of a user (password reset, removal, role taken away by an admin is not one of these). */
  async revokeAll(workspaceId: string, userId: string): Promise<void> {
    await this.sessions.update({ workspaceId, userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }
}

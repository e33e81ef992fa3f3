import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OptOutSubjects } from './opt-out-barriers';

/** Arbitrary constants: the classes of the advisory locks between hand-off claims and opt-outs. */
const SUBJECT_LOCK_CLASS = 0x0c10;
const WORKSPACE_LOCK_CLASS = 0x0c11;

/**
 * The most subjects a writer locks one by one. A writer with more (a list import, a suppression
 * CSV) locks the whole workspace's sending instead: Postgres keeps advisory locks in its shared
 * lock table, sized for about 64 per transaction, and an import of thousands must not exhaust it.
 */
const MAX_SUBJECT_LOCKS = 64;

/**
 * A claim is at most the provider's calls in flight (32 texts, two keys each); one bigger than
 * this takes the coarse lock, so the lock table stays bounded whoever calls.
 */
const MAX_CLAIM_LOCKS = 2 * MAX_SUBJECT_LOCKS;

/** Subjects of a lock: a contact (its consent) or a number by keyed hash (its suppression). */
function subjectKeys(subjects: OptOutSubjects): string[] {
  return [...new Set([...subjects.contactIds.map((id) => `c:${id}`), ...subjects.phoneHashes.map((h) => `p:${h}`)])];
}

/**
 * The locks that make law 2's last check atomic with the hand-off claim (decisions 0145, 0266),
 * held per person rather than per workspace.
 *
 * A claim takes, in shared mode, the lock of each contact and each number it is about to hand off
 * to (and the workspace's sending lock, shared); a consent or suppression writer takes its
 * subjects' locks exclusively before it writes. So an opt-out waits only for the claims of its own
 * person, and a claim only for the opt-outs of its own people: a STOP storm and a throttled
 * campaign of one workspace no longer queue on one lock. A bulk writer takes the workspace's
 * sending lock exclusively and so excludes every claim, as one lock per row would.
 *
 * Deadlock-free by order: every writer holds the consent chain lock first (writers are
 * serialised), and takes its subject locks once, in one statement, in key order; a claim takes
 * the workspace lock and then its subject locks in the same key order and holds no other lock
 * a writer waits for. A claim too large for subject locks takes the chain lock shared instead,
 * which every writer holds exclusively (the coarse form, as before 0266).
 *
 * Keys are `hashtext` of workspace and subject: a collision only makes two people wait for each
 * other now and then.
 */
@Injectable()
export class SendingLocks {
  /** A hand-off claim's locks, shared. Returns false when the claim must take the coarse chain lock instead. */
  async forClaim(manager: EntityManager, workspaceId: string, subjects: OptOutSubjects): Promise<boolean> {
    const keys = subjectKeys(subjects);
    if (keys.length > MAX_CLAIM_LOCKS) return false;
    // The workspace lock first, then the subjects in key order (see the class comment).
    await manager.query(
      `SELECT pg_advisory_xact_lock_shared(l.class, l.key) FROM (
         SELECT $1::int AS class, hashtext($3) AS key, 0 AS rank
         UNION ALL
         SELECT DISTINCT $2::int, hashtext($3 || ':' || s), 1 FROM unnest($4::text[]) s
         ORDER BY rank, key) l`,
      [WORKSPACE_LOCK_CLASS, SUBJECT_LOCK_CLASS, workspaceId, keys],
    );
    return true;
  }

  /**
   * A consent or suppression writer's locks, exclusive, taken once per transaction with the chain
   * lock already held: each subject's, or the workspace's when there are many.
   */
  async forWriter(manager: EntityManager, workspaceId: string, subjects: OptOutSubjects): Promise<void> {
    const keys = subjectKeys(subjects);
    if (keys.length === 0) return;
    if (keys.length > MAX_SUBJECT_LOCKS) return this.forBulkWriter(manager, workspaceId);
    await manager.query(
      `SELECT pg_advisory_xact_lock($1, l.key) FROM (SELECT DISTINCT hashtext($2 || ':' || s) AS key FROM unnest($3::text[]) s ORDER BY 1) l`,
      [SUBJECT_LOCK_CLASS, workspaceId, keys],
    );
  }

  /** A writer whose subjects are many or not known yet (imports, erasure): no claim in the workspace until it commits. */
  async forBulkWriter(manager: EntityManager, workspaceId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [WORKSPACE_LOCK_CLASS, workspaceId]);
  }
}

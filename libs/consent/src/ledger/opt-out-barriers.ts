import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Whose opt-out is about to commit: contacts (consent) or numbers by keyed hash (suppression). */
export interface OptOutSubjects {
  contactIds: string[];
  phoneHashes: string[];
}

/**
 * Work that must be over before an opt-out commits. The send gateway registers one: a text to
 * that person already handed to the provider when the opt-out began is let finish first, so
 * none reaches the carrier once the opt-out is in the ledger (decision 0149). Libraries above
 * consent register here, so consent never imports them.
 */
export interface OptOutBarrier {
  name: string;
  /**
   * Called before the opt-out's transaction takes the workspace's consent chain lock and its
   * people's sending locks, holding no lock (decision 0157): the long wait happens here, so the
   * locks — which every other consent writer of the workspace, and every claim to these people,
   * wait for — are held only for the ledger write.
   */
  beforeOptOutLock(workspaceId: string, subjects: OptOutSubjects): Promise<void>;
  /** Called inside the opt-out's transaction, with the chain and its people's sending locks held: the re-check. */
  beforeOptOutCommit(workspaceId: string, subjects: OptOutSubjects, manager: EntityManager): Promise<void>;
}

@Injectable()
export class OptOutBarriers {
  private readonly barriers: OptOutBarrier[] = [];

  register(barrier: OptOutBarrier): void {
    if (this.barriers.some((b) => b.name === barrier.name)) return;
    this.barriers.push(barrier);
  }

  /** Before an opt-out's transaction locks the chain: lets what is in flight end, holding nothing. */
  async prepare(workspaceId: string, subjects: OptOutSubjects): Promise<void> {
    if (subjects.contactIds.length === 0 && subjects.phoneHashes.length === 0) return;
    for (const barrier of this.barriers) await barrier.beforeOptOutLock(workspaceId, subjects);
  }

  /** Inside the opt-out's transaction, locks held: waits only for what was claimed since `prepare`. */
  async settle(workspaceId: string, subjects: OptOutSubjects, manager: EntityManager): Promise<void> {
    if (subjects.contactIds.length === 0 && subjects.phoneHashes.length === 0) return;
    for (const barrier of this.barriers) await barrier.beforeOptOutCommit(workspaceId, subjects, manager);
  }
}

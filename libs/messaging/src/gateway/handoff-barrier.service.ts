import { Injectable, OnModuleInit } from '@nestjs/common';
import { OptOutBarrier, OptOutBarriers, OptOutSubjects } from '@optline/consent';
import { Clock } from '@optline/core';
import type { EntityManager } from 'typeorm';
import { MessageRepository } from '../message/message.repository';
import { HANDOFF_TIMEOUT_MS } from '../message/message-status';

/** The longest an opt-out waits for hand-offs to its people already in flight (a provider call takes far less). */
const SETTLE_MAX_MS = 1_000;
const POLL_MS = 10;

/**
 * Closes the last gap of law 2 (decisions 0149, 0157, 0266). From the moment an opt-out holds its
 * people's sending locks no text to them is claimed (HandoffClaim takes those locks shared). A
 * text to that person claimed just before may still be on its way to the provider: the opt-out
 * commits only once those calls have ended (at most SETTLE_MAX_MS), so no text reaches the carrier
 * after the opt-out is in the ledger.
 *
 * The wait happens before the locks (`beforeOptOutLock`, no transaction, no lock held): holding
 * the chain lock while waiting kept every other consent writer of the workspace waiting too. Under
 * the locks (`beforeOptOutCommit`) one query checks again; only a hand-off claimed in between —
 * rare — is waited for there.
 */
@Injectable()
export class HandoffBarrier implements OptOutBarrier, OnModuleInit {
  readonly name = 'send-gateway';

  constructor(
    private readonly barriers: OptOutBarriers,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.barriers.register(this);
  }

  async beforeOptOutLock(workspaceId: string, subjects: OptOutSubjects): Promise<void> {
    await this.settle(workspaceId, subjects);
  }

  async beforeOptOutCommit(workspaceId: string, subjects: OptOutSubjects, manager: EntityManager): Promise<void> {
    await this.settle(workspaceId, subjects, manager);
  }

  private async settle(workspaceId: string, subjects: OptOutSubjects, manager?: EntityManager): Promise<void> {
    const deadline = Date.now() + SETTLE_MAX_MS;
    const since = new Date(this.clock.nowMs() - HANDOFF_TIMEOUT_MS);
    // Each poll is a new statement, so a new snapshot: it sees the outcomes committed meanwhile.
    while ((await this.messages.handoffsInFlight(workspaceId, subjects, since, manager)) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { ContactErasure, ContactErasureHook, ContactErasureHooks } from '@optline/contacts';
import type { EntityManager } from 'typeorm';
import { ConsentLedgerService } from '../ledger/consent-ledger.service';
import { SuppressionService } from '../suppression/suppression.service';

/**
 * What erasure means for consent: the number is kept on the suppression list by its keyed hash
 * (a person who asked to be forgotten is not texted again), and every ledger entry stays, with
 * the phone blanked (decision 0024).
 */
@Injectable()
export class ConsentErasureHook implements ContactErasureHook, OnModuleInit {
  readonly name = 'consent';

  constructor(
    private readonly hooks: ContactErasureHooks,
    private readonly ledger: ConsentLedgerService,
    private readonly suppression: SuppressionService,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async onErase(erasure: ContactErasure, manager: EntityManager): Promise<void> {
    await this.ledger.lockChainFor(erasure.workspaceId, manager, { contactIds: [erasure.contactId], phoneHashes: [erasure.phoneHash] });
    await this.suppression.keepSuppressedAfterErasure(erasure.workspaceId, erasure.phoneHash, erasure.actor, manager);
    await this.ledger.blankPhone(erasure.workspaceId, erasure.phoneHash, manager);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a hook learns about the contact being erased (before its personal data is blanked). */
export interface ContactErasure {
  workspaceId: string;
  contactId: string;
  phone: string | null;
  phoneHash: string;
  actor: string;
  at: Date;
}

/**
 * Work other libraries must do inside the erasure transaction (the consent library keeps the
 * number suppressed and blanks the phone on its ledger entries). Libraries above contacts
 * register here, so contacts never imports them.
 */
export interface ContactErasureHook {
  name: string;
  onErase(erasure: ContactErasure, manager: EntityManager): Promise<void>;
}

@Injectable()
export class ContactErasureHooks {
  private readonly hooks: ContactErasureHook[] = [];

  register(hook: ContactErasureHook): void {
    if (this.hooks.some((h) => h.name === hook.name)) return;
    this.hooks.push(hook);
  }

  async run(erasure: ContactErasure, manager: EntityManager): Promise<void> {
    for (const hook of this.hooks) await hook.onErase(erasure, manager);
  }
}

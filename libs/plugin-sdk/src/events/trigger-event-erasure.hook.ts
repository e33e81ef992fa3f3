import { Injectable, OnModuleInit } from '@nestjs/common';
import { ContactErasure, ContactErasureHooks } from '@optline/contacts';
import type { EntityManager } from 'typeorm';
import { TriggerEvent } from './trigger-event.entity';

/**
 * When a person is erased, the events about them lose what identified them (the contact hint,
 * the consent hint's evidence and the payload's fields), in the erasure's own transaction. The
 * rows stay, so counts and flow histories remain explainable.
 */
@Injectable()
export class TriggerEventErasureHook implements OnModuleInit {
  constructor(private readonly hooks: ContactErasureHooks) {}

  onModuleInit(): void {
    this.hooks.register({ name: 'plugin-sdk.trigger-events', onErase: (erasure, manager) => this.scrub(erasure, manager) });
  }

  async scrub(erasure: ContactErasure, manager: EntityManager): Promise<void> {
    await scrubEvents(manager, 'contact_id = :contactId', { workspaceId: erasure.workspaceId, contactId: erasure.contactId });
  }
}

/** Blanks the identifying parts of the workspace's events matched by `where`; returns how many. */
export async function scrubEvents(manager: EntityManager, where: string, params: { workspaceId: string } & Record<string, string>): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .update(TriggerEvent)
    .set({ contactHint: null, consentHint: null, payload: () => `'{"erased": true}'::jsonb` })
    .where(`workspace_id = :workspaceId AND ${where}`, params)
    .execute();
  return result.affected ?? 0;
}

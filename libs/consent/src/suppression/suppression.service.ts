import { Injectable } from '@nestjs/common';
import { invalidField, NotFoundError } from '@optline/core';
import { ContactService, normalizePhone } from '@optline/contacts';
import type { EntityManager } from 'typeorm';
import type { ConsentSource } from '../consent.types';
import { ConsentLedgerService } from '../ledger/consent-ledger.service';
import { OptOutBarriers } from '../ledger/opt-out-barriers';
import { Suppression } from './suppression.entity';
import { SuppressionRepository } from './suppression.repository';

export interface SuppressionEntryInput {
  phone: string;
  reason: string;
  actor: string;
  /** How the number got here; 'api' unless said otherwise ('provider' for a carrier's verdict, 'import' for a list). */
  source?: ConsentSource;
}

/**
 * The suppression list: numbers never texted by this workspace, whatever their consent. Every
 * addition and removal is also written into the consent ledger's chain, with reason and actor.
 */
@Injectable()
export class SuppressionService {
  constructor(
    private readonly suppressions: SuppressionRepository,
    private readonly contacts: ContactService,
    private readonly ledger: ConsentLedgerService,
    private readonly barriers: OptOutBarriers,
  ) {}

  /** Idempotent: a number already on the list stays as it was (and no second audit entry is written). */
  async add(workspaceId: string, entry: SuppressionEntryInput): Promise<void> {
    await this.addDetailed(workspaceId, entry);
  }

  async addDetailed(workspaceId: string, entry: SuppressionEntryInput): Promise<{ phone: string; added: boolean }> {
    const phone = await this.requirePhone(workspaceId, entry.phone);
    const { added } = await this.addMany(workspaceId, [{ phone, reason: entry.reason }], entry.actor, entry.source ?? 'api');
    return { phone, added: added > 0 };
  }

  /** Adds many E.164 numbers in one transaction (CSV imports); returns how many were new. */
  async addMany(workspaceId: string, entries: { phone: string; reason: string }[], actor: string, source: ConsentSource): Promise<{ added: number }> {
    const unique = new Map(entries.map((e) => [this.contacts.phoneHash(e.phone), e]));
    // Hand-offs to these numbers already in flight end before the chain lock is taken (0157).
    await this.barriers.prepare(workspaceId, { contactIds: [], phoneHashes: [...unique.keys()] });
    return this.suppressions.dataSource.transaction(async (manager) => {
      // The chain lock first, as every ledger writer does, so suppression and consent writers queue in one order.
      const drafts = [...unique].map(([phoneHash, e]) => ({ phoneHash, phone: e.phone, reason: e.reason, actor }));
      await this.ledger.lockChainFor(workspaceId, manager, { contactIds: [], phoneHashes: [...unique.keys()] });
      const inserted = await this.suppressions.insertMany(workspaceId, drafts, manager);
      await this.ledger.appendSuppressionAudit(
        workspaceId,
        drafts.filter((d) => inserted.has(d.phoneHash)).map((d) => ({ kind: 'suppression_added', ...d, source })),
        manager,
      );
      await this.barriers.settle(workspaceId, { contactIds: [], phoneHashes: [...inserted] }, manager);
      return { added: inserted.size };
    });
  }

  /** Erasure: keeps (or puts) the number on the list by hash alone, inside the erasure transaction. */
  async keepSuppressedAfterErasure(workspaceId: string, phoneHash: string, actor: string, manager: EntityManager): Promise<void> {
    const inserted = await this.suppressions.insertMany(workspaceId, [{ phoneHash, phone: null, reason: 'erasure request', actor }], manager);
    if (inserted.size > 0) {
      await this.ledger.appendSuppressionAudit(
        workspaceId,
        [{ kind: 'suppression_added', phone: null, phoneHash, reason: 'erasure request', actor, source: 'api' }],
        manager,
      );
    }
    await this.suppressions.blankPhone(workspaceId, phoneHash, manager);
  }

  /** 404 when the number is not on the list. */
  async remove(workspaceId: string, phone: string, reason: string, actor: string): Promise<void> {
    const e164 = await this.requirePhone(workspaceId, phone);
    const phoneHash = this.contacts.phoneHash(e164);
    await this.suppressions.dataSource.transaction(async (manager) => {
      // A removal only lets more through: no hand-off claim needs to wait for it.
      await this.ledger.lockChainFor(workspaceId, manager, { contactIds: [], phoneHashes: [] });
      if (!(await this.suppressions.delete(workspaceId, phoneHash, manager))) throw new NotFoundError('Suppressed number', e164);
      await this.ledger.appendSuppressionAudit(workspaceId, [{ kind: 'suppression_removed', phone: e164, phoneHash, reason, actor, source: 'api' }], manager);
    });
  }

  async isSuppressed(workspaceId: string, phone: string): Promise<boolean> {
    const e164 = await this.contacts.normalize(workspaceId, phone);
    if (!e164) return false;
    return (await this.suppressions.presentAmong(workspaceId, [this.contacts.phoneHash(e164)])).size > 0;
  }

  /** The E.164 forms of the given phones that are suppressed, in one query (send hot path). */
  async suppressedAmong(workspaceId: string, phones: string[]): Promise<Set<string>> {
    const byHash = new Map<string, string>();
    for (const phone of new Set(phones)) {
      const e164 = phone.startsWith('+') ? normalizePhone(phone, 'US') : await this.contacts.normalize(workspaceId, phone);
      if (e164) byHash.set(this.contacts.phoneHash(e164), e164);
    }
    const present = await this.suppressions.presentAmong(workspaceId, [...byHash.keys()]);
    return new Set([...present].map((hash) => byHash.get(hash)!));
  }

  async get(workspaceId: string, phone: string): Promise<Suppression> {
    const e164 = await this.requirePhone(workspaceId, phone);
    const entry = await this.suppressions.find(workspaceId, this.contacts.phoneHash(e164));
    if (!entry) throw new NotFoundError('Suppressed number', e164);
    return entry;
  }

  async list(workspaceId: string, after: string | undefined, limit: number): Promise<Suppression[]> {
    return this.suppressions.page(workspaceId, after, limit);
  }

  private async requirePhone(workspaceId: string, phone: string): Promise<string> {
    const e164 = typeof phone === 'string' ? await this.contacts.normalize(workspaceId, phone) : null;
    if (!e164) throw invalidField('phone', 'phone must be a valid phone number', 'invalid_phone');
    return e164;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, invalidField, NotFoundError } from '@optline/core';
import { Repository } from 'typeorm';
import type { MessageType } from '../message/message.entity';
import { ONE_WAY_KINDS, SenderKind, TenDlcTier, TollFreeTier, TWO_WAY_TYPES } from './sender-kinds';
import { Sender, SenderBrandLimit } from './sender.entity';

export interface SenderInput {
  kind: SenderKind;
  address: string;
  label?: string | null;
  tier?: TollFreeTier | null;
  messagesPerSecond?: number | null;
  messageTypes: MessageType[];
  enabled?: boolean;
}

/** What the gateway needs to route a workspace's messages, read once per few seconds. */
export interface SenderSetup {
  senders: Sender[];
  brand: SenderBrandLimit | null;
}

const CACHE_MS = 5_000;
const TOLL_FREE_PREFIXES = ['+1800', '+1833', '+1844', '+1855', '+1866', '+1877', '+1888'];

/**
 * A workspace's senders (`/v1/senders`) and its brand's 10DLC limits. The gateway reads them
 * through `setup`, cached for a few seconds per process, so routing a batch costs no query.
 */
@Injectable()
export class SenderService {
  private readonly cache = new Map<string, { at: number; value: SenderSetup }>();

  constructor(
    @InjectRepository(Sender) private readonly senders: Repository<Sender>,
    @InjectRepository(SenderBrandLimit) private readonly limits: Repository<SenderBrandLimit>,
  ) {}

  async setup(workspaceId: string): Promise<SenderSetup> {
    const hit = this.cache.get(workspaceId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const [senders, brand] = await Promise.all([this.senders.find({ where: { workspaceId }, order: { createdAt: 'ASC' } }), this.limits.findOne({ where: { workspaceId } })]);
    const value = { senders, brand };
    this.cache.set(workspaceId, { at: Date.now(), value });
    return value;
  }

  list(workspaceId: string): Promise<Sender[]> {
    return this.senders.find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  async get(workspaceId: string, id: string): Promise<Sender> {
    const sender = await this.senders.findOne({ where: { workspaceId, id } });
    if (!sender) throw new NotFoundError('Sender', id);
    return sender;
  }

  async create(workspaceId: string, input: SenderInput): Promise<Sender> {
    this.check(input);
    await this.refuseTaken(workspaceId, input.address, null);
    const saved = await this.senders.save(
      this.senders.create({
        workspaceId,
        kind: input.kind,
        address: input.address,
        label: input.label ?? null,
        tier: input.tier ?? null,
        messagesPerSecond: input.messagesPerSecond ?? null,
        messageTypes: [...new Set(input.messageTypes)],
        enabled: input.enabled ?? true,
      }),
    );
    this.cache.delete(workspaceId);
    return saved;
  }

  async update(workspaceId: string, id: string, input: SenderInput): Promise<Sender> {
    const sender = await this.get(workspaceId, id);
    this.check(input);
    await this.refuseTaken(workspaceId, input.address, id);
    Object.assign(sender, {
      kind: input.kind,
      address: input.address,
      label: input.label ?? null,
      tier: input.tier ?? null,
      messagesPerSecond: input.messagesPerSecond ?? null,
      messageTypes: [...new Set(input.messageTypes)],
      enabled: input.enabled ?? sender.enabled,
    });
    const saved = await this.senders.save(sender);
    this.cache.delete(workspaceId);
    return saved;
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    await this.get(workspaceId, id);
    await this.senders.delete({ workspaceId, id });
    this.cache.delete(workspaceId);
  }

  async brandLimit(workspaceId: string): Promise<SenderBrandLimit | null> {
    return this.limits.findOne({ where: { workspaceId } });
  }

  async putBrandLimit(workspaceId: string, input: { tenDlcTier: TenDlcTier | null; dailyCap: number | null }): Promise<SenderBrandLimit> {
    await this.limits.upsert({ workspaceId, tenDlcTier: input.tenDlcTier, dailyCap: input.dailyCap, updatedAt: new Date() }, ['workspaceId']);
    this.cache.delete(workspaceId);
    return (await this.brandLimit(workspaceId))!;
  }

  /** Rules that depend on the kind (field shapes are checked by the DTO). */
  private check(input: SenderInput): void {
    const { kind, address } = input;
    if (['long_code', 'ten_dlc', 'toll_free'].includes(kind) && !/^\+[1-9]\d{7,14}$/.test(address)) {
      throw invalidField('address', `a ${kind} sender is a phone number in E.164 (+15551234567)`);
    }
    if (kind === 'toll_free' && !TOLL_FREE_PREFIXES.some((p) => address.startsWith(p))) {
      throw invalidField('address', 'a toll-free sender is a North American toll-free number (+1 800, 833, 844, 855, 866, 877 or 888)');
    }
    if (kind === 'short_code' && !/^\d{5,6}$/.test(address)) throw invalidField('address', 'a short code is 5 or 6 digits');
    if (kind === 'alphanumeric' && !/^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(address)) {
      throw invalidField('address', 'an alphanumeric sender id is 1 to 11 letters, digits or spaces, with at least one letter');
    }
    if (input.tier && kind !== 'toll_free') throw invalidField('tier', "only a toll-free sender has its own tier (a 10DLC number's is its brand's: PUT /v1/senders/brand-limit)");
    if (ONE_WAY_KINDS.includes(kind) && input.messageTypes.some((t) => TWO_WAY_TYPES.includes(t))) {
      throw invalidField('messageTypes', 'an alphanumeric sender cannot receive replies: it may carry marketing and transactional texts only');
    }
  }

  private async refuseTaken(workspaceId: string, address: string, exceptId: string | null): Promise<void> {
    const other = await this.senders.findOne({ where: { workspaceId, address } });
    if (other && other.id !== exceptId) throw new DomainError('conflict', 'sender_exists', `A sender ${address} already exists in this workspace`, [{ field: 'address', message: 'already a sender of this workspace' }]);
  }
}

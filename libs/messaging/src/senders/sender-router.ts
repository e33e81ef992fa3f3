import { Injectable } from '@nestjs/common';
import type { MessageType } from '../message/message.entity';
import { brandDailyCap, countsTowardsBrandCap, pickSender, senderRate } from './sender-kinds';
import { Sender } from './sender.entity';
import { SenderService } from './sender.service';

/** Where one message goes out from, and the limits it is held to there. */
export interface SenderRoute {
  sender: Sender;
  /** The limiter's key of this sender (shared by every process). */
  limiterKey: string;
  perSecond: number;
  /** Counts towards the brand's daily cap. */
  capped: boolean;
}

/** A workspace's routing for one batch: null `routes` = no senders set up (the provider's `from` as before). */
export interface BatchRouting {
  routes: Map<string, SenderRoute | null> | null;
  dailyCap: number;
  /** The addresses whose messages count towards the cap (to recount the day from the log). */
  cappedAddresses: string[];
}

/**
 * Picks each message's sender among the workspace's senders allowed to carry its type (system
 * replies: any sender that can receive texts) and says which limits hold there. Reads the
 * workspace's senders from SenderService's short cache: no query per message.
 */
@Injectable()
export class SenderRouter {
  constructor(private readonly senders: SenderService) {}

  async route(workspaceId: string, messages: { id: string; type: MessageType; phone: string }[]): Promise<BatchRouting> {
    const { senders, brand } = await this.senders.setup(workspaceId);
    const enabled = senders.filter((s) => s.enabled);
    const cappedAddresses = senders.filter((s) => countsTowardsBrandCap(s.kind)).map((s) => s.address);
    if (enabled.length === 0) return { routes: null, dailyCap: brandDailyCap(brand), cappedAddresses };
    const routes = new Map<string, SenderRoute | null>();
    for (const m of messages) {
      // An alphanumeric id is used only where carriers take one: never towards a +1 number (US, Canada).
      const usable = m.phone.startsWith('+1') ? enabled.filter((s) => s.kind !== 'alphanumeric') : enabled;
      // A system text (STOP confirmation, HELP) answers the person: any sender that can take their reply.
      const pool = m.type === 'system' ? usable.map((s) => ({ ...s, messageTypes: s.kind === 'alphanumeric' ? [] : ['system'] })) : usable;
      const picked = pickSender(pool, m.type, m.phone);
      const sender = picked ? enabled.find((s) => s.id === picked.id)! : null;
      routes.set(
        m.id,
        sender ? { sender, limiterKey: `${workspaceId}:${sender.address}`, perSecond: senderRate(sender, brand?.tenDlcTier ?? null), capped: countsTowardsBrandCap(sender.kind) } : null,
      );
    }
    return { routes, dailyCap: brandDailyCap(brand), cappedAddresses };
  }
}

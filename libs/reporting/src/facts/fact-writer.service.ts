import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLICK_CANDIDATES, conversionCandidatesSql, optOutCandidatesSql, replyCandidatesSql } from './attribution-sql';
import { messageFactsSql, storeFactsSql } from './fact-sql';

export interface ClickSeen {
  workspaceId: string;
  messageId: string;
  code: string;
  url: string;
  clickNumber: number;
  at: Date;
}

/**
 * A batch is written when this many are waiting or this long after the first (decision 0218):
 * each batch costs a transaction and the planning of a large statement, so fewer, larger batches
 * keep the send pipeline's share of that work small; reports lag by about a second.
 */
const FLUSH_SIZE = 2000;
const FLUSH_DELAY_MS = 1000;

/**
 * Collects what the domain events said and writes facts and rollups in batches: a send
 * pipeline's thousand status changes become a handful of statements (docs/decisions/0211).
 * What a process loses in its buffer when it dies, the recompute job restores from the rows.
 */
@Injectable()
export class FactWriter implements OnApplicationShutdown {
  private readonly logger = new Logger('ReportingFacts');
  private messages = new Set<string>();
  private workspacesOfMessages = new Map<string, string>();
  private clicks: ClickSeen[] = [];
  private replies = new Set<string>();
  private optOuts = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  messageChanged(workspaceId: string, messageId: string): void {
    this.messages.add(messageId);
    this.workspacesOfMessages.set(messageId, workspaceId);
    this.schedule(this.messages.size);
  }

  clicked(click: ClickSeen): void {
    this.clicks.push(click);
    this.schedule(this.clicks.length);
  }

  replied(workspaceId: string, inboundMessageId: string): void {
    this.replies.add(inboundMessageId);
    this.workspacesOfMessages.set(inboundMessageId, workspaceId);
    this.schedule(this.replies.size);
  }

  optedOut(workspaceId: string, consentEventId: string): void {
    this.optOuts.add(consentEventId);
    this.workspacesOfMessages.set(consentEventId, workspaceId);
    this.schedule(this.optOuts.size);
  }

  /** Conversions come from a durable job (the event dispatch): written at once, in its retry. */
  async conversions(items: { workspaceId: string; eventId: string; contactId: string }[]): Promise<number> {
    if (items.length === 0) return 0;
    // A click still in the buffer is a touch this order must see.
    await this.flush();
    const from = `unnest($1::uuid[], $2::uuid[]) AS u(id, contact) JOIN trigger_event te ON te.id = u.id`;
    return this.store(
      items.map((i) => i.workspaceId),
      storeFactsSql(conversionCandidatesSql(from, 'COALESCE(u.contact, te.contact_id)', 'TRUE')),
      [items.map((i) => i.eventId), items.map((i) => i.contactId)],
    );
  }

  /** Writes everything collected so far (also what arrives while it writes). */
  async flush(): Promise<void> {
    const run = this.flushing.then(() => this.writeBuffered());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush().catch((err) => this.logger.error({ err }, 'reporting facts lost at shutdown; a recompute restores them'));
  }

  private schedule(size: number): void {
    if (size >= FLUSH_SIZE) {
      void this.flush().catch(() => undefined);
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().catch(() => undefined);
    }, FLUSH_DELAY_MS);
    this.timer.unref();
  }

  private async writeBuffered(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const messages = [...this.messages];
    const clicks = this.clicks;
    const replies = [...this.replies];
    const optOuts = [...this.optOuts];
    const owners = this.workspacesOfMessages;
    this.messages = new Set();
    this.clicks = [];
    this.replies = new Set();
    this.optOuts = new Set();
    this.workspacesOfMessages = new Map();
    const ws = (ids: string[]) => ids.map((id) => owners.get(id)!);
    try {
      // Status facts first, so a click or a reply in the same batch finds its message's send recorded.
      if (messages.length) await this.store(ws(messages), messageFactsSql('m.id = ANY($1::uuid[])'), [messages]);
      if (clicks.length) {
        await this.store(
          clicks.map((c) => c.workspaceId),
          storeFactsSql(CLICK_CANDIDATES),
          [clicks.map((c) => c.workspaceId), clicks.map((c) => c.messageId), clicks.map((c) => c.code), clicks.map((c) => c.url), clicks.map((c) => c.clickNumber), clicks.map((c) => c.at)],
        );
      }
      if (replies.length) await this.store(ws(replies), storeFactsSql(replyCandidatesSql('i.id = ANY($1::uuid[])')), [replies]);
      if (optOuts.length) await this.store(ws(optOuts), storeFactsSql(optOutCandidatesSql('ce.id = ANY($1::uuid[])')), [optOuts]);
    } catch (err) {
      this.logger.error({ err, messages: messages.length, clicks: clicks.length }, 'reporting facts not written; a recompute restores them');
      throw err;
    }
  }

  /**
   * One statement in a transaction holding each workspace's shared reporting lock, so a
   * recompute (which holds it exclusively) never interleaves with incremental writes.
   */
  private async store(workspaceIds: string[], sql: string, params: unknown[]): Promise<number> {
    const workspaces = [...new Set(workspaceIds)].sort();
    return this.db.transaction(async (manager: EntityManager) => {
      await manager.query(`SELECT pg_advisory_xact_lock_shared(hashtext('report:' || w)) FROM unnest($1::text[]) AS w ORDER BY w`, [workspaces]);
      const [row]: { stored: number }[] = await manager.query(sql, params);
      return row?.stored ?? 0;
    });
  }
}

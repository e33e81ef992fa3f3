import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainEventBus } from '@optline/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { AudienceQuery } from '../segments/audience-query';
import { CampaignBulkWriter, SharedText } from './campaign-bulk-writer';
import { CampaignPageSender } from './campaign-page-sender.service';
import { CampaignRepository } from './campaign.repository';
import { CampaignStarter } from './campaign-starter.service';
import type { Campaign } from './campaign.entity';

const PAGE = 1000;
/** Contacts per page when a page is written in one statement (CampaignBulkWriter). */
const BULK_PAGE = 5000;
/**
 * Back-pressure: while this many of the workspace's messages wait for their send job, the runner
 * waits instead of queueing more. It keeps Redis and the hub's memory flat for any audience size,
 * and keeps pause and cancel meaningful (at most this many are already on their way).
 */
const QUEUED_WINDOW = 10_000;
/** How long one pass waits for room before leaving the campaign to the next pass. */
const MAX_WAIT_MS = 20_000;
/** Pages handed over concurrently by one worker (unthrottled campaigns). */
const PAGES_IN_FLIGHT = 3;

interface PendingPage {
  handedOver: Promise<void>;
  checkpoint: { cursor: string | null; count: number; finished: boolean; now: Date; newWindow: boolean };
}

/**
 * How long one campaign keeps a worker while another campaign is due (decision 0208): a worker
 * pages one campaign at a time, and gives the next one its turn after this long.
 */
const TURN_MS = 10_000;

export interface AdvanceOptions {
  /** Stop after this many pages (tests that pause or crash mid-campaign). */
  maxPages?: number;
  /** Contacts per page instead of the default (tests that need several pages of a small audience). */
  pageSize?: number;
  /** How long this campaign keeps the worker while others are due (default TURN_MS). */
  turnMs?: number;
}

/**
 * Sends campaigns page by page, from Postgres: takes a due campaign (a lease on its row), starts
 * it, then resolves its audience in keyset pages after its checkpoint, hands each page to the
 * gateway or the flow, and records the checkpoint. A worker that dies mid-page leaves a lease
 * that expires; the next pass repeats that page and the gateway's keys make the repeat a no-op.
 */
@Injectable()
export class CampaignRunner {
  private readonly logger = new Logger(CampaignRunner.name);
  /** Set on shutdown: the pass leaves after its current page (the next worker resumes from the checkpoint). */
  private stopping = false;

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly starter: CampaignStarter,
    private readonly audience: AudienceQuery,
    private readonly pages: CampaignPageSender,
    private readonly bulk: CampaignBulkWriter,
    private readonly clock: Clock,
    private readonly bus: DomainEventBus,
  ) {}

  /**
   * One pass over every campaign that needs work now, the one that waited longest first, each in
   * a turn (TURN_MS while another is due). Returns how many were advanced.
   */
  async runDue(options: AdvanceOptions = {}): Promise<number> {
    const ids = await this.campaigns.due(this.clock.now());
    for (const id of ids) await this.advance(id, options);
    return ids.length;
  }

  /**
   * Whether this campaign's turn is over: it has had the worker for its turn and another
   * campaign is due (a campaign alone keeps going — giving the worker up would only idle it).
   */
  private turnOver(id: string, turnEndsAt: { at: number }, options: AdvanceOptions): Promise<boolean> | boolean {
    if (Date.now() < turnEndsAt.at) return false;
    return this.campaigns.due(this.clock.now()).then((ids) => {
      if (ids.some((other) => other !== id)) return true;
      turnEndsAt.at = Date.now() + (options.turnMs ?? TURN_MS);
      return false;
    });
  }

  stop(): void {
    this.stopping = true;
  }

  async advance(id: string, options: AdvanceOptions = {}): Promise<void> {
    let campaign = await this.campaigns.lease(id, this.clock.now());
    if (!campaign) return;
    try {
      if (campaign.status === 'scheduled') campaign = await this.starter.start(campaign);
      const shared = campaign.status === 'sending' ? await this.bulk.sharedText(campaign) : null;
      if (shared) await this.writePages(campaign, shared, options);
      else await this.page(campaign, options);
    } finally {
      await this.campaigns.release(id);
    }
  }

  /**
   * Pages are read in order and handed over with up to PAGES_IN_FLIGHT at a time (one when
   * throttled): reading the next page and its database round trips overlap the gateway's work on
   * the previous ones. Checkpoints are written strictly in page order and never past a page that
   * failed, so the row's cursor always has every earlier page behind it.
   */
  private async page(start: Campaign, options: AdvanceOptions): Promise<void> {
    const depth = start.throttlePerMinute === null ? PAGES_IN_FLIGHT : 1;
    const inFlight: PendingPage[] = [];
    let readCursor = start.cursor;
    let readAll = false;
    let failed = false;
    let waitingSince: number | null = null;
    const turn = { at: Date.now() + (options.turnMs ?? TURN_MS) };
    const pageSize = options.pageSize ?? PAGE;
    const settleOldest = async () => {
      const oldest = inFlight.shift()!;
      try {
        await oldest.handedOver;
      } catch (error) {
        failed = true;
        throw error;
      }
      await this.campaigns.checkpoint(start.id, oldest.checkpoint);
      if (oldest.checkpoint.finished) this.logger.log({ campaignId: start.id }, 'campaign audience resolved');
    };
    const drain = async () => {
      while (inFlight.length > 0) await settleOldest();
    };
    try {
      for (let pages = 0; ; ) {
        const campaign = await this.campaigns.byId(start.id);
        if (!campaign || this.stopping) return;
        if (campaign.status === 'cancelled') {
          await drain();
          // A page handed over while the cancel landed is withdrawn too.
          await this.campaigns.withdrawPending(campaign.workspaceId, campaign.id);
          return;
        }
        if (campaign.status !== 'sending') return;
        if (campaign.resolvedAt) return await this.completeIfDecided(campaign);
        if (readAll) {
          await drain();
          continue;
        }
        if (options.maxPages !== undefined && pages >= options.maxPages) return;
        if (pages > 0 && (await this.turnOver(campaign.id, turn, options))) return;
        const now = this.clock.now();
        const window = this.window(campaign, now, pageSize);
        if (window.budget === 0) return;
        if (campaign.content.kind === 'message' && (await this.campaigns.queuedInWorkspace(campaign.workspaceId, QUEUED_WINDOW)) >= QUEUED_WINDOW) {
          waitingSince ??= Date.now();
          if (Date.now() - waitingSince > MAX_WAIT_MS) return;
          await sleep(100);
          continue;
        }
        waitingSince = null;
        const size = Math.min(pageSize, window.budget);
        const members = await this.audience.page(campaign.workspaceId, campaign.audienceRule ?? false, readCursor, size);
        const finished = members.length < size;
        readCursor = members.at(-1)?.id ?? readCursor;
        readAll = finished;
        const handedOver = this.pages.send(campaign, members);
        handedOver.catch(() => undefined); // awaited in order by settleOldest
        inFlight.push({ handedOver, checkpoint: { cursor: members.at(-1)?.id ?? null, count: members.length, finished, now, newWindow: window.fresh } });
        pages += 1;
        while (inFlight.length >= depth) await settleOldest();
      }
    } finally {
      // Leaving early (stop, pause, a failure): pages already handed over are checkpointed in
      // order, unless one failed — then nothing after it is, and the next pass repeats them.
      if (failed) await Promise.allSettled(inFlight.map((p) => p.handedOver));
      else await drain();
    }
  }

  /**
   * A one-message campaign with one text for everyone: each page is written in one statement
   * (message rows by INSERT … SELECT, consent and suppression joined for the page) and its send
   * jobs enqueued, then the checkpoint moves. A page written twice (a crash before the
   * checkpoint) inserts nothing the second time: the gateway keys are unique.
   */
  private async writePages(start: Campaign, text: SharedText, options: AdvanceOptions): Promise<void> {
    let waitingSince: number | null = null;
    const turn = { at: Date.now() + (options.turnMs ?? TURN_MS) };
    const pageSize = options.pageSize ?? BULK_PAGE;
    for (let pages = 0; ; ) {
      const campaign = await this.campaigns.byId(start.id);
      if (!campaign || this.stopping) return;
      if (campaign.status === 'cancelled') {
        await this.campaigns.withdrawPending(campaign.workspaceId, campaign.id);
        return;
      }
      if (campaign.status !== 'sending') return;
      if (campaign.resolvedAt) return await this.completeIfDecided(campaign);
      if (options.maxPages !== undefined && pages >= options.maxPages) return;
      if (pages > 0 && (await this.turnOver(campaign.id, turn, options))) return;
      const now = this.clock.now();
      const window = this.window(campaign, now, pageSize);
      if (window.budget === 0) return;
      if ((await this.campaigns.queuedInWorkspace(campaign.workspaceId, QUEUED_WINDOW)) >= QUEUED_WINDOW) {
        waitingSince ??= Date.now();
        if (Date.now() - waitingSince > MAX_WAIT_MS) return;
        await sleep(100);
        continue;
      }
      waitingSince = null;
      const size = Math.min(pageSize, window.budget);
      const page = await this.bulk.writePage(campaign, text, campaign.cursor, size);
      const finished = page.count < size;
      await this.campaigns.checkpoint(campaign.id, { cursor: page.lastContactId, count: page.count, finished, now, newWindow: window.fresh });
      if (finished) this.logger.log({ campaignId: campaign.id }, 'campaign audience resolved');
      pages += 1;
    }
  }

  /** The throttle: how many more may be handed over in the current minute. */
  private window(campaign: Campaign, now: Date, page = PAGE): { budget: number; fresh: boolean } {
    if (campaign.throttlePerMinute === null) return { budget: page, fresh: false };
    const fresh = !campaign.windowStartedAt || now.getTime() - campaign.windowStartedAt.getTime() >= 60_000;
    return { budget: fresh ? campaign.throttlePerMinute : Math.max(0, campaign.throttlePerMinute - campaign.windowCount), fresh };
  }

  /** Completed once the audience is resolved and none of its messages waits for a decision. */
  private async completeIfDecided(campaign: Campaign): Promise<void> {
    if (campaign.content.kind === 'message' && (await this.campaigns.hasPending(campaign.workspaceId, campaign.id))) return;
    if (await this.campaigns.transition(campaign.workspaceId, campaign.id, ['sending'], 'completed', { finishedAt: this.clock.now() })) {
      await this.bus.publish('campaign.ended', { workspaceId: campaign.workspaceId, campaignId: campaign.id, status: 'completed' });
    }
  }
}

import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@optline/core';
import { InstallationRepository } from './installation.repository';

/** How long accepted-delivery counts wait in memory before they are written. */
export const DELIVERY_FLUSH_MS = 1000;

interface PendingDeliveries {
  workspaceId: string;
  id: string;
  lastAt: Date;
  stored: number;
  duplicates: number;
}

/**
 * What happened to an installation's deliveries, for its status: refusals are written at once
 * with their reason; accepted deliveries are counted in memory and written at most once a second
 * per process, in one statement for every installation. Writing them per request made every
 * webhook of an installation update the same row, and concurrent webhooks queued on its lock.
 *
 * The counts are statistics, not the truth (each stored event is its own trigger_event row):
 * a crash loses at most the last second of counts, and another hub process's status answer may
 * lag by up to a second. Within this process, `flush()` makes them exact; the status API calls
 * it before reading.
 */
@Injectable()
export class InstallationDeliveries implements OnModuleDestroy {
  private readonly logger = new Logger(InstallationDeliveries.name);
  private pending = new Map<string, PendingDeliveries>();
  private timer: NodeJS.Timeout | null = null;
  /** Flushes run one after another, so a flush resolves only after every earlier one landed. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly installations: InstallationRepository,
    private readonly clock: Clock,
  ) {}

  /** Counts one accepted delivery; written within DELIVERY_FLUSH_MS. */
  accepted(workspaceId: string, id: string, at: Date, stored: number, duplicates: number): void {
    const entry = this.pending.get(id);
    if (entry) {
      entry.stored += stored;
      entry.duplicates += duplicates;
      if (at > entry.lastAt) entry.lastAt = at;
    } else {
      this.pending.set(id, { workspaceId, id, lastAt: at, stored, duplicates });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), DELIVERY_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Keeps the reason of a refused delivery for the installation's status and counts it, at once. */
  rejected(workspaceId: string, id: string, source: string, message: string): Promise<void> {
    return this.installations.recordError(workspaceId, id, { source, message, at: this.clock.now().toISOString() }, true);
  }

  /**
   * Writes the counts gathered so far. Never rejects: on a database error the counts stay pending
   * for the next flush, and readers see them a little late rather than failing.
   */
  flush(): Promise<void> {
    const run = this.tail.then(() => this.write());
    this.tail = run;
    return run;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.installations.addDeliveries(batch);
    } catch (error) {
      this.logger.warn({ err: error, installations: batch.length }, 'could not write delivery counts; keeping them for the next flush');
      for (const entry of batch) this.accepted(entry.workspaceId, entry.id, entry.lastAt, entry.stored, entry.duplicates);
    }
  }
}

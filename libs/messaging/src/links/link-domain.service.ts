import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppConfig, Clock, DomainError, invalidField } from '@optline/core';
import { randomBytes } from 'node:crypto';
import { QueryFailedError, Repository } from 'typeorm';
import { LinkDomainProbe } from './link-domain-probe';
import { LinkDomain } from './link-domain.entity';

/** A host name of at least two labels: letters, digits and hyphens, no port, no path. */
const HOST_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Verified domains are re-read this often in every process, so a change reaches workers too. */
const REFRESH_MS = 30_000;

/**
 * Branded link domains (decision 0255): a workspace names its own short-link host, proves it
 * reaches the hub (the host answers its token at the verification path), and from then on its
 * links are written on it. Every process keeps the verified domains in memory (the link filter
 * renders synchronously), re-read every 30 s and at once where a change is made.
 */
@Injectable()
export class LinkDomainService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LinkDomainService.name);
  private byWorkspace = new Map<string, string>();
  /** Every domain (verified or not) to its workspace: on it, only that workspace's links resolve. */
  private byDomain = new Map<string, string>();
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(LinkDomain) private readonly domains: Repository<LinkDomain>,
    private readonly probe: LinkDomainProbe,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    // A failed first read (a worker started before the migration runner finished) must not stop
    // the process: links use PUBLIC_URL until the next read succeeds.
    const reload = () => this.reload().catch((error: unknown) => this.logger.warn({ err: error }, 'reading the link domains failed; retrying in 30 s'));
    await reload();
    this.timer = setInterval(() => void reload(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The verified domain of the workspace, or null: where its links are written. */
  verifiedDomainOf(workspaceId: string): string | null {
    return this.byWorkspace.get(workspaceId) ?? null;
  }

  /** The workspace owning a domain, or null when the host is not a branded domain. */
  ownerOf(host: string): string | null {
    return this.byDomain.get(host.toLowerCase()) ?? null;
  }

  get(workspaceId: string): Promise<LinkDomain | null> {
    return this.domains.findOne({ where: { workspaceId } });
  }

  /** Sets (or replaces) the workspace's domain; a new domain must be verified again. 409 when another workspace has it. */
  async set(workspaceId: string, raw: string): Promise<LinkDomain> {
    const domain = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!HOST_NAME.test(domain)) throw invalidField('domain', 'domain must be a host name such as go.acme-dental.com (no scheme, port or path)');
    if (domain === new URL(this.config.publicUrl).hostname) throw invalidField('domain', "domain must not be the hub's own address (PUBLIC_URL): links use it already");
    const existing = await this.get(workspaceId);
    if (existing?.domain === domain) return existing;
    const row = existing ?? this.domains.create({ workspaceId });
    Object.assign(row, { domain, verificationToken: randomBytes(18).toString('base64url'), verifiedAt: null, checkedAt: null, checkError: null, updatedAt: this.clock.now() });
    try {
      const saved = await this.domains.save(row);
      await this.reload();
      return saved;
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
        throw new DomainError('conflict', 'link_domain_taken', `${domain} is already another workspace's link domain`);
      }
      throw error;
    }
  }

  async remove(workspaceId: string): Promise<void> {
    await this.domains.delete({ workspaceId });
    await this.reload();
  }

  /** Asks the domain for its token: verified when it answers this workspace's token. */
  async verify(workspaceId: string): Promise<LinkDomain> {
    const row = await this.get(workspaceId);
    if (!row) throw new DomainError('not_found', 'link_domain_not_found', 'This workspace has no link domain; set one first');
    const answer = await this.probe.fetchToken(row.domain);
    const now = this.clock.now();
    row.checkedAt = now;
    if (answer.ok && answer.body === row.verificationToken) {
      row.verifiedAt = row.verifiedAt ?? now;
      row.checkError = null;
    } else {
      row.verifiedAt = null;
      row.checkError = answer.ok ? `https://${row.domain} answered, but not with this workspace's token: it does not reach this hub` : answer.error;
    }
    row.updatedAt = now;
    const saved = await this.domains.save(row);
    await this.reload();
    return saved;
  }

  /** The token a host must answer at the verification path, when it is some workspace's domain (verified or not). */
  async tokenFor(host: string): Promise<string | null> {
    const row = await this.domains.findOne({ where: { domain: host.toLowerCase() } });
    return row?.verificationToken ?? null;
  }

  private async reload(): Promise<void> {
    const rows: { workspace_id: string; domain: string; verified: boolean }[] = await this.domains.query(`SELECT workspace_id, domain, verified_at IS NOT NULL AS verified FROM link_domain`);
    this.byWorkspace = new Map(rows.filter((r) => r.verified).map((r) => [r.workspace_id, r.domain]));
    this.byDomain = new Map(rows.map((r) => [r.domain, r.workspace_id]));
  }
}

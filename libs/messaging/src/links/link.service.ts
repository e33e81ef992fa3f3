import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppConfig, Clock, DomainEventBus } from '@optline/core';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import type { LinkSink } from '../templates/template-renderer';
import { LinkDomainService } from './link-domain.service';
import { Link } from './link.entity';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const CODE_LENGTH = 8;

/** A random code over an unambiguous alphabet: ~46 bits, unguessable for a click counter. */
export function newLinkCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte % ALPHABET.length];
  return code;
}

export interface PendingLink {
  code: string;
  url: string;
}

/** Branded short links: made while a body is rendered, stored with its message, counted on click. */
@Injectable()
export class LinkService {
  constructor(
    @InjectRepository(Link) private readonly links: Repository<Link>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: DomainEventBus,
    private readonly domains: LinkDomainService,
  ) {}

  /**
   * A sink for the `link` filter that collects the links one body makes (one code per distinct
   * URL). Links are written on the workspace's verified link domain, else on PUBLIC_URL.
   */
  collector(workspaceId?: string): { sink: LinkSink; links: PendingLink[] } {
    const links: PendingLink[] = [];
    const domain = workspaceId ? this.domains.verifiedDomainOf(workspaceId) : null;
    const base = domain ? `https://${domain}` : this.config.publicUrl;
    const sink: LinkSink = (url) => {
      if (!/^https?:\/\//i.test(url)) return url; // not a web link: print as written
      let link = links.find((l) => l.url === url);
      if (!link) {
        link = { code: newLinkCode(), url };
        links.push(link);
      }
      return `${base}/l/${link.code}`;
    };
    return { sink, links };
  }

  /**
   * Records a click and answers the target, or null for an unknown code. On a branded domain
   * (`host`), only the owning workspace's links resolve. Tells reporting through `link.clicked`.
   */
  async click(code: string, host?: string): Promise<string | null> {
    const now = this.clock.now();
    const owner = host ? this.domains.ownerOf(host) : null;
    const rows: { url: string; workspace_id: string; message_id: string; clicks: number }[] = await this.links.query(
      `UPDATE link SET clicks = clicks + 1, first_clicked_at = COALESCE(first_clicked_at, $2), last_clicked_at = $2
       WHERE code = $1 ${owner ? 'AND workspace_id = $3' : ''} RETURNING url, workspace_id, message_id, clicks`,
      owner ? [code, now, owner] : [code, now],
    );
    // pg returns [rows, count] for UPDATE ... RETURNING through query()
    const list = Array.isArray(rows[0]) ? (rows[0] as unknown as typeof rows) : rows;
    const link = list[0];
    if (!link) return null;
    await this.events.publish('link.clicked', { workspaceId: link.workspace_id, messageId: link.message_id, code, url: link.url, clickNumber: Number(link.clicks), at: now });
    return link.url;
  }

  async forMessage(workspaceId: string, messageId: string): Promise<Link[]> {
    return this.links.find({ where: { workspaceId, messageId }, order: { createdAt: 'ASC' } });
  }
}

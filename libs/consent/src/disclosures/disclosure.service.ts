import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, NotFoundError } from '@optline/core';
import { EntityManager, In, QueryFailedError, Repository } from 'typeorm';
import { Disclosure } from './disclosure.entity';

/** Versioned disclosure texts: what a person saw when they opted in. */
@Injectable()
export class DisclosureService {
  constructor(@InjectRepository(Disclosure) private readonly disclosures: Repository<Disclosure>) {}

  /** The newest version, shown on forms and keyword flows from now on; null before the first. */
  async current(workspaceId: string, manager?: EntityManager): Promise<Disclosure | null> {
    const repo = manager ? manager.getRepository(Disclosure) : this.disclosures;
    return repo.findOne({ where: { workspaceId }, order: { version: 'DESC' } });
  }

  async get(workspaceId: string, id: string): Promise<Disclosure> {
    const disclosure = await this.disclosures.findOne({ where: { workspaceId, id } });
    if (!disclosure) throw new NotFoundError('Disclosure', id);
    return disclosure;
  }

  async list(workspaceId: string): Promise<Disclosure[]> {
    return this.disclosures.find({ where: { workspaceId }, order: { version: 'DESC' } });
  }

  /** Ids of these that are not disclosures of this workspace. */
  async unknownIds(workspaceId: string, ids: string[], manager?: EntityManager): Promise<string[]> {
    if (ids.length === 0) return [];
    const repo = manager ? manager.getRepository(Disclosure) : this.disclosures;
    const found = await repo.find({ where: { workspaceId, id: In(ids) }, select: { id: true } });
    const known = new Set(found.map((d) => d.id));
    return ids.filter((id) => !known.has(id));
  }

  /** Adds the next version. Texts are never edited, so every recorded opt-in keeps pointing at what was shown. */
  async create(workspaceId: string, text: string): Promise<Disclosure> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const latest = await this.current(workspaceId);
      try {
        return await this.disclosures.save(this.disclosures.create({ workspaceId, text, version: (latest?.version ?? 0) + 1 }));
      } catch (error) {
        // Two versions created at once: the unique (workspace, version) index refuses one; retry it.
        if (!(error instanceof QueryFailedError) || (error as { code?: string }).code !== '23505') throw error;
      }
    }
    throw new DomainError('conflict', 'disclosure_version_conflict', 'Another disclosure version was being created; try again');
  }
}

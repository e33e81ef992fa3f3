import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { GroupService } from '@optline/contacts';
import { DomainError, NotFoundError, ValidationFailedError } from '@optline/core';
import { QueryFailedError, Repository } from 'typeorm';
import { AudienceQuery } from './audience-query';
import { SegmentCompiler, SegmentRule } from './segment-compiler';
import { Segment } from './segment.entity';

export interface SegmentInput {
  name: string;
  description?: string | null;
  conditions: SegmentRule;
}

/** Saved segments: checked, stored, counted. */
@Injectable()
export class SegmentService {
  constructor(
    @InjectRepository(Segment) private readonly segments: Repository<Segment>,
    private readonly groups: GroupService,
    private readonly audience: AudienceQuery,
  ) {}

  /** Refuses a rule that does not compile or names a group of another workspace (422 naming the field). */
  async assertRule(workspaceId: string, rule: unknown, field = 'conditions'): Promise<SegmentRule> {
    const problems = SegmentCompiler.check(rule, field);
    if (problems.length > 0) throw new ValidationFailedError(problems, 'unprocessable', 'invalid_segment');
    for (const groupId of SegmentCompiler.groupIds(rule)) {
      try {
        await this.groups.get(workspaceId, groupId);
      } catch {
        throw new ValidationFailedError([{ field, message: `group ${groupId} was not found in this workspace` }], 'unprocessable', 'invalid_segment');
      }
    }
    return rule as SegmentRule;
  }

  async create(workspaceId: string, input: SegmentInput, actor: string): Promise<Segment> {
    const conditions = await this.assertRule(workspaceId, input.conditions);
    return this.saving(() => this.segments.save(this.segments.create({ workspaceId, name: input.name.trim(), description: input.description ?? null, conditions, createdBy: actor })));
  }

  list(workspaceId: string): Promise<Segment[]> {
    return this.segments.find({ where: { workspaceId }, order: { name: 'ASC' } });
  }

  async get(workspaceId: string, id: string): Promise<Segment> {
    const segment = await this.segments.findOne({ where: { workspaceId, id } });
    if (!segment) throw new NotFoundError('Segment', id);
    return segment;
  }

  async update(workspaceId: string, id: string, patch: Partial<SegmentInput>): Promise<Segment> {
    const segment = await this.get(workspaceId, id);
    if (patch.conditions !== undefined) segment.conditions = await this.assertRule(workspaceId, patch.conditions);
    if (patch.name !== undefined) segment.name = patch.name.trim();
    if (patch.description !== undefined) segment.description = patch.description;
    return this.saving(() => this.segments.save(segment));
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.get(workspaceId, id);
    await this.segments.delete({ workspaceId, id });
  }

  async count(workspaceId: string, id: string): Promise<number> {
    return this.audience.count(workspaceId, (await this.get(workspaceId, id)).conditions);
  }

  async preview(workspaceId: string, rule: unknown): Promise<number> {
    return this.audience.count(workspaceId, await this.assertRule(workspaceId, rule));
  }

  /** Whether a contact is in a segment at this moment. */
  async contains(workspaceId: string, segmentId: string, contactId: string): Promise<boolean> {
    return this.audience.includes(workspaceId, (await this.get(workspaceId, segmentId)).conditions, contactId);
  }

  private async saving<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
        throw new DomainError('conflict', 'segment_name_taken', 'a segment with this name already exists', [{ field: 'name', message: 'already used by another segment' }]);
      }
      throw error;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { GroupService } from '@optline/contacts';
import { ValidationFailedError } from '@optline/core';
import type { SegmentRule } from '../segments/segment-compiler';
import { SegmentService } from '../segments/segment.service';
import type { CampaignAudience } from './campaign.entity';

/**
 * A campaign's audience as one segment rule: the group (`inGroup`) or the segment's conditions,
 * and not any excluded group or segment. Built when sending begins and frozen on the campaign, so
 * a resumed campaign pages exactly the audience it started with.
 */
@Injectable()
export class CampaignAudienceBuilder {
  constructor(
    private readonly groups: GroupService,
    private readonly segments: SegmentService,
  ) {}

  /** Checks every id belongs to the workspace (422 naming the field otherwise). */
  async assert(workspaceId: string, audience: CampaignAudience): Promise<void> {
    if (!audience.groupId === !audience.segmentId) throw new ValidationFailedError([{ field: 'audience', message: 'give exactly one of audience.groupId or audience.segmentId' }]);
    const groupIds = [...(audience.groupId ? [['audience.groupId', audience.groupId]] : []), ...(audience.excludeGroupIds ?? []).map((id, i) => [`audience.excludeGroupIds[${i}]`, id])];
    const segmentIds = [...(audience.segmentId ? [['audience.segmentId', audience.segmentId]] : []), ...(audience.excludeSegmentIds ?? []).map((id, i) => [`audience.excludeSegmentIds[${i}]`, id])];
    for (const [field, id] of groupIds) await this.exists(field, () => this.groups.get(workspaceId, id), `group ${id} was not found in this workspace`);
    for (const [field, id] of segmentIds) await this.exists(field, () => this.segments.get(workspaceId, id), `segment ${id} was not found in this workspace`);
  }

  async rule(workspaceId: string, audience: CampaignAudience): Promise<SegmentRule> {
    const include: SegmentRule = audience.groupId ? { inGroup: audience.groupId } : (await this.segments.get(workspaceId, audience.segmentId!)).conditions;
    const exclusions: SegmentRule[] = [
      ...(audience.excludeGroupIds ?? []).map((id) => ({ inGroup: id })),
      ...(await Promise.all((audience.excludeSegmentIds ?? []).map(async (id) => (await this.segments.get(workspaceId, id)).conditions))),
    ];
    return exclusions.length === 0 ? include : { and: [include, { '!': { or: exclusions } }] };
  }

  private async exists(field: string, find: () => Promise<unknown>, message: string): Promise<void> {
    try {
      await find();
    } catch {
      throw new ValidationFailedError([{ field, message }]);
    }
  }
}

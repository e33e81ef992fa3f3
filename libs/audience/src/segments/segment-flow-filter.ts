import { Injectable, OnModuleInit } from '@nestjs/common';
import { SegmentMembership } from '@optline/flows';
import { SegmentService } from './segment.service';

/**
 * Answers flow conditions' `{"inSegment": id}` (decision 0206): registered into the flows
 * library's seam at start, since flows cannot import this library. Each answer is one query,
 * the segment's compiled WHERE for one contact, at the moment the condition is evaluated.
 */
@Injectable()
export class SegmentFlowFilter implements OnModuleInit {
  constructor(
    private readonly membership: SegmentMembership,
    private readonly segments: SegmentService,
  ) {}

  onModuleInit(): void {
    this.membership.register({ contains: (workspaceId, segmentId, contactId) => this.segments.contains(workspaceId, segmentId, contactId) });
  }
}

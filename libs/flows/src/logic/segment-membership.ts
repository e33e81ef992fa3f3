import { Injectable, Logger } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Answers whether a contact is in a saved segment now (libs/audience registers one). */
export interface SegmentMembershipSource {
  contains(workspaceId: string, segmentId: string, contactId: string): Promise<boolean>;
}

/**
 * The seam through which flow conditions ask about segments (`{"inSegment": "<segment id>"}`).
 * Segments live in libs/audience, which depends on flows; flows cannot import it back, so the
 * audience library registers its answer here when the hub starts (decision 0206). Membership is
 * evaluated when the condition is — a branch when the step runs, a trigger filter when the
 * event arrives — never stored. A segment that does not exist in the workspace (deleted since
 * the flow was written, or never there) has no members; so does every segment when no source is
 * registered (a process without the audience library).
 */
@Injectable()
export class SegmentMembership {
  private readonly logger = new Logger(SegmentMembership.name);
  private source: SegmentMembershipSource | null = null;

  register(source: SegmentMembershipSource): void {
    this.source = source;
  }

  /** Whether the contact is in each of the segments, by segment id. */
  async of(workspaceId: string, contactId: string | null, segmentIds: string[]): Promise<Record<string, boolean>> {
    const answers: Record<string, boolean> = {};
    for (const segmentId of new Set(segmentIds)) {
      answers[segmentId] = false;
      if (!contactId || !this.source || !UUID.test(segmentId)) continue;
      try {
        answers[segmentId] = await this.source.contains(workspaceId, segmentId, contactId);
      } catch (error) {
        if ((error as { kind?: string }).kind !== 'not_found') throw error;
        this.logger.warn({ workspaceId, segmentId }, 'a flow condition names a segment this workspace does not have: nobody is in it');
      }
    }
    return answers;
  }
}

/** The segment ids a JSON-Logic rule names with `inSegment`. */
export function segmentIdsOf(rule: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [op, arg] of Object.entries(node)) {
      const id = Array.isArray(arg) ? arg[0] : arg;
      if (op === 'inSegment' && typeof id === 'string') found.add(id);
      else visit(arg);
    }
  };
  visit(rule);
  return [...found];
}

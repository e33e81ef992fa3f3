import { Injectable } from '@nestjs/common';
import { ConsentService } from '@optline/consent';
import { ContactService, GroupService } from '@optline/contacts';
import { BatchCoalescer, BatchOutcome, DomainError, perWorkspace, PreferenceLinks, settleEach } from '@optline/core';
import { LinkService, Message, SendGateway, SubmitMessageInput } from '@optline/messaging';
import type { FlowConsentType, SetConsentState } from '../definition/flow-definition';
import type { SendEffect, StepEffects } from './executors';
import { SegmentMembership } from '../logic/segment-membership';
import { FlowWebhookClient } from './flow-webhook.client';

/** Who the effects act for. */
export interface EffectsScope {
  workspaceId: string;
  flowId: string;
  runId: string;
  contactId: string;
  enrolledGroupId: string | null;
  /** The campaign that enrolled the run (its correlation), so its messages are found under the campaign. */
  campaignId?: string | null;
  /** Tracing on: the traceparent the run's messages continue (RunContext.trace). */
  trace?: string | null;
}

/**
 * Builds the effects of live runs: every message through the gateway (law 1), group and
 * consent changes through their libraries' facades, webhooks signed.
 */
@Injectable()
export class LiveStepEffectsFactory {
  /**
   * The sends of steps running at the same moment (a batch of runs) reach the gateway as one
   * `submitMany` per workspace; a batch the gateway refuses is retried one message at a time, so
   * a bad message fails its own run only.
   */
  private readonly submissions = new BatchCoalescer<SubmitMessageInput, Message>((inputs) => this.submitTogether(inputs), { maxBatch: 500, maxWaitMs: 0 });

  constructor(
    private readonly gateway: SendGateway,
    private readonly groups: GroupService,
    private readonly consent: ConsentService,
    private readonly contacts: ContactService,
    private readonly webhooks: FlowWebhookClient,
    private readonly links: LinkService,
    private readonly preferences: PreferenceLinks,
    private readonly membership: SegmentMembership,
  ) {}

  for(scope: EffectsScope): StepEffects {
    const { workspaceId, flowId, runId, contactId } = scope;
    const groupId = async (group: string): Promise<string | null> => (group === 'enrolled' ? scope.enrolledGroupId : group);
    const change = async (group: string, apply: (id: string) => Promise<void>) => {
      if (group === 'opted_in' || group === 'opted_out') return { groupId: (await this.groups.systemGroup(workspaceId, group)).id, followsConsent: true };
      const id = await groupId(group);
      if (!id) return { groupId: null };
      try {
        await apply(id);
      } catch (error) {
        // A group deleted since the flow was written: the step is noted, the run goes on.
        if (error instanceof DomainError && error.kind === 'not_found') return { groupId: null };
        throw error;
      }
      return { groupId: id };
    };
    return {
      send: async (effect: SendEffect) => {
        const message = await this.submissions.submit({
          workspaceId,
          contactId,
          type: effect.type,
          body: effect.body,
          links: effect.links,
          idempotencyKey: effect.idempotencyKey,
          origin: {
            flowRunId: runId,
            stepId: effect.stepId,
            ...(effect.systemKind && { systemKind: effect.systemKind }),
            ...(scope.campaignId && { campaignId: scope.campaignId }),
            ...(scope.trace && { trace: scope.trace }),
          },
        });
        return { messageId: message.id, sendAt: message.deferredUntil ?? null, status: message.status };
      },
      linkCollector: () => this.links.collector(workspaceId),
      preferenceUrl: () => this.preferences.urlFor(workspaceId, contactId),
      addToGroup: (group: string) => change(group, (id) => this.groups.addMembers(workspaceId, id, [contactId])),
      removeFromGroup: (group: string) => change(group, (id) => this.groups.removeMembers(workspaceId, id, [contactId])),
      setConsent: async (state: SetConsentState, types: FlowConsentType[], stepId: string) => {
        await this.consent.record(workspaceId, {
          contactId,
          types,
          state,
          source: 'flow',
          evidence: { flowId, runId, stepId },
          flowId,
        });
      },
      setAttribute: async (attribute: string, value: unknown) => {
        await this.contacts.update(workspaceId, contactId, { attributes: { [attribute]: value } });
      },
      webhook: (url: string, body: Record<string, unknown>, stepId: string) => this.webhooks.post(workspaceId, flowId, url, body, `run:${runId}:${stepId}`),
      segments: (segmentIds: string[]) => this.membership.of(workspaceId, contactId, segmentIds),
    };
  }

  private submitTogether(inputs: SubmitMessageInput[]): Promise<BatchOutcome<Message>[]> {
    return perWorkspace(inputs, async (_workspaceId, group) => {
      try {
        return (await this.gateway.submitMany(group)).map((value) => ({ ok: true as const, value }));
      } catch {
        return settleEach(group, (input) => this.gateway.submit(input));
      }
    });
  }
}

import { Injectable } from '@nestjs/common';
import { resolveTimeZone } from '@optline/contacts';
import { WorkspaceService } from '@optline/core';
import { FlowEnrolmentService, FlowService } from '@optline/flows';
import { SendGateway, SubmitMessageInput } from '@optline/messaging';
import type { AudienceMember } from '../segments/audience-query';
import { localInstant } from './campaign-schedule';
import type { Campaign } from './campaign.entity';

/** The gateway key of a campaign's message to one contact: a page handed over twice sends once. */
export const campaignMessageKey = (campaignId: string, contactId: string): string => `campaign:${campaignId}:${contactId}`;

/**
 * Hands one page of a campaign's audience over. A one-message campaign goes straight to the
 * gateway (`submitMany`, one insert and one batch job per page; no flow run per recipient); a
 * flow campaign enrols the page (a contact already in a live run of the flow is skipped).
 * The gateway still runs every policy at send time (law 2).
 */
@Injectable()
export class CampaignPageSender {
  constructor(
    private readonly gateway: SendGateway,
    private readonly flows: FlowService,
    private readonly enrolments: FlowEnrolmentService,
    private readonly workspaces: WorkspaceService,
  ) {}

  async send(campaign: Campaign, members: AudienceMember[]): Promise<void> {
    if (members.length === 0) return;
    const content = campaign.content;
    if (content.kind === 'flow') {
      const active = await this.flows.activeVersion(campaign.workspaceId, content.flowId);
      const source = { triggerEventId: null, type: 'campaign', data: { campaignId: campaign.id, campaignName: campaign.name }, correlation: { campaignId: campaign.id } };
      await this.enrolments.enrolMany(active, members.map((m) => m.id), source, { startAt: null, enrolledGroupId: null });
      return;
    }
    const notBefore = await this.localStarts(campaign, members);
    const inputs: SubmitMessageInput[] = members.map((member, i) => ({
      workspaceId: campaign.workspaceId,
      contactId: member.id,
      type: content.messageType,
      template: content.body,
      idempotencyKey: campaignMessageKey(campaign.id, member.id),
      origin: { campaignId: campaign.id },
      ...(notBefore[i] && { notBefore: notBefore[i]! }),
    }));
    await this.gateway.submitMany(inputs);
  }

  /** Local-time campaigns: each message waits for the wall-clock time in its recipient's zone. */
  private async localStarts(campaign: Campaign, members: AudienceMember[]): Promise<(Date | null)[]> {
    const schedule = campaign.schedule;
    if (schedule.mode !== 'local') return members.map(() => null);
    const workspace = await this.workspaces.get(campaign.workspaceId);
    return Promise.all(
      members.map(async (member) => {
        const { zones } = await resolveTimeZone({ timeZone: member.timeZone, phone: member.phone }, workspace.timeZone);
        // A number whose exchange spans zones waits for the latest of them (never early anywhere).
        const instants = zones.map((zone) => localInstant(schedule.localTime, zone).getTime());
        return new Date(Math.max(...instants));
      }),
    );
  }
}

import { Injectable } from '@nestjs/common';
import { ConsentService } from '@optline/consent';
import { ContactService, phoneGeo } from '@optline/contacts';
import { earliestSendInstant, resolveZones } from '@optline/messaging';
import { Clock, PreferenceLinks, WorkspaceService } from '@optline/core';
import { SimulateDto } from '../lifecycle/flow-api.dto';
import { FlowService } from '../lifecycle/flow.service';
import { ContactView } from '../runner/executors';
import { SegmentMembership, segmentIdsOf } from '../logic/segment-membership';
import { contactView, workspaceView } from '../runner/run-views';
import { addDuration } from '../time/relative-instant';
import { simulateFlow, SimulationResult } from './flow-simulator';
import { classifyReply } from './reply-classification';

const ALL_OPTED_IN = { marketing: 'opted_in', transactional: 'opted_in', conversational: 'opted_in' };

/**
 * POST /v1/flows/:id/simulate: the flow's latest (or a given) version on a virtual clock, with a
 * sample event, optional replies and later events. Uses the same step executors as live runs
 * and the workspace's sending window for send times; nothing is written or sent.
 */
@Injectable()
export class FlowSimulationService {
  constructor(
    private readonly flows: FlowService,
    private readonly workspaces: WorkspaceService,
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
    private readonly clock: Clock,
    private readonly preferences: PreferenceLinks,
    private readonly membership: SegmentMembership,
  ) {}

  async simulate(workspaceId: string, flowId: string, dto: SimulateDto): Promise<SimulationResult & { flowId: string; version: number }> {
    const { flow, version } = dto.version ? await this.flows.version(workspaceId, flowId, dto.version) : await this.flows.get(workspaceId, flowId);
    const workspace = await this.workspaces.get(workspaceId);
    let contact: ContactView;
    let consent: Record<string, string> = { ...ALL_OPTED_IN };
    if (dto.contactId) {
      contact = contactView(await this.contacts.get(workspaceId, dto.contactId));
      consent = { ...(await this.consent.statesFor(workspaceId, [dto.contactId])).get(dto.contactId) };
    } else {
      const sample = dto.contact ?? {};
      contact = {
        id: 'simulated-contact',
        firstName: sample.firstName ?? null,
        lastName: sample.lastName ?? null,
        phone: sample.phone ?? null,
        email: null,
        timeZone: sample.timeZone ?? null,
        attributes: sample.attributes ?? {},
      };
    }
    if (dto.consent) consent = { ...consent, ...dto.consent };
    // The gateway's own zone rule and state lookup (policy-context.loader), from one geo lookup.
    const geo = contact.phone ? await phoneGeo(contact.phone) : null;
    const zones = resolveZones(contact.timeZone, geo?.timeZones ?? [], workspace.timeZone).zones;
    const region = geo?.country === 'US' ? geo.region : null;
    const startAt = dto.startAt ?? this.clock.now();
    const at = (item: { after?: string; at?: Date }) => item.at ?? (item.after ? addDuration(startAt, item.after) : startAt);
    const window = workspace.policy.quietHours;
    const result = await simulateFlow({
      flowId: flow.id,
      definition: version.definition,
      workspace: workspaceView(workspace),
      contact,
      zone: zones[0],
      consent,
      event: dto.event ?? {},
      correlation: dto.correlation ?? {},
      startAt,
      replies: (dto.replies ?? []).map((r) => ({ at: at(r), body: r.body, keyword: classifyReply(r.body) })),
      events: (dto.events ?? []).map((e) => ({ at: at(e), type: e.type, correlation: e.correlation ?? {} })),
      // The gateway's own rule (state windows included); a message with no window within 8 days
      // would be blocked, shown here at its submission time.
      // A real contact's own link, so the preview shows what they would get.
      ...(dto.contactId && { preferenceUrl: this.preferences.urlFor(workspaceId, dto.contactId) }),
      // A real contact's segments as they are now (a sample contact is in none).
      ...(dto.contactId && { segments: await this.membership.of(workspaceId, dto.contactId, segmentIdsOf(version.definition.steps)) }),
      sendTimeOf: (submittedAt, type) => earliestSendInstant(submittedAt, type, zones, window, region) ?? submittedAt,
    });
    return { flowId: flow.id, version: version.version, ...result };
  }
}

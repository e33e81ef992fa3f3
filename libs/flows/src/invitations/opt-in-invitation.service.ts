import { Injectable } from '@nestjs/common';
import { ConsentService, noConsent } from '@optline/consent';
import { ContactService, GroupService } from '@optline/contacts';
import { AuthContext, Clock, DomainError, NotFoundError, ValidationFailedError } from '@optline/core';
import { isOptInFlow, optInTypes } from '../definition/opt-in-flow';
import { FlowService } from '../lifecycle/flow.service';
import { FlowRunRepository } from '../persistence/flow-run.repository';
import { reentryAllows } from '../runner/reentry';
import { FlowEnrolmentService } from '../runner/flow-enrolment.service';
import type { OptInInvitationDto, InviteContactDto } from './invitation.dto';

/**
 * Seed 001 / U.S. opt-in rules: an opt-in request goes to one contact because a person invited
 * that contact (decision 0161). The invitation is the pending opt-in's evidence — who clicked
 * Invite, when, for which flow and group — so the gateway, which refuses an opt-in request
 * nobody asked for, lets this one through; the run carries the same record.
 */
@Injectable()
export class OptInInvitationService {
  constructor(
    private readonly flows: FlowService,
    private readonly runs: FlowRunRepository,
    private readonly enrolments: FlowEnrolmentService,
    private readonly contacts: ContactService,
    private readonly groups: GroupService,
    private readonly consent: ConsentService,
    private readonly clock: Clock,
  ) {}

  async invite(auth: AuthContext, contactId: string, dto: InviteContactDto): Promise<OptInInvitationDto> {
    const workspaceId = auth.workspaceId;
    if (!dto.flowId === !dto.flowKey) {
      throw new ValidationFailedError([{ field: dto.flowId ? 'flowKey' : 'flowId', message: 'give exactly one of flowId or flowKey' }], 'invalid');
    }
    const contact = await this.contacts.get(workspaceId, contactId);
    if (contact.erasedAt || !contact.phone) throw new NotFoundError('Contact', contactId);
    const active = await this.activeFlow(workspaceId, dto);
    const definition = active.version.definition;
    if (!isOptInFlow(definition)) {
      throw new DomainError('unprocessable', 'not_an_opt_in_flow', `Flow ${active.flow.id} sends no opt-in request; enrol contacts with POST /v1/flows/${active.flow.id}/enroll`, [
        { field: dto.flowId ? 'flowId' : 'flowKey', message: 'the flow must send an opt-in request (a send step with systemKind opt_in_request)' },
      ]);
    }
    if (dto.groupId) await this.groups.get(workspaceId, dto.groupId);

    const types = optInTypes(definition);
    const states = (await this.consent.statesFor(workspaceId, [contactId])).get(contactId) ?? noConsent();
    if (Object.values(states).includes('opted_out')) {
      throw new DomainError('unprocessable', 'contact_opted_out', 'This contact opted out; after STOP only their own START (or a new opt-in of theirs) resubscribes them, so no invitation is sent');
    }
    if (types.every((t) => states[t] === 'opted_in')) throw new DomainError('conflict', 'already_opted_in', 'This contact is already opted in; no invitation is needed');
    const now = this.clock.now();
    const lastStart = (await this.runs.lastStarts(workspaceId, active.flow.id, [contactId])).get(contactId) ?? null;
    if (!reentryAllows(definition.reentry, lastStart, now)) throw alreadyInvited(lastStart!);

    const invitedBy = { actor: auth.actor, apiKeyId: auth.apiKeyId ?? null, userId: auth.userId ?? null };
    const invitation = { invitedBy, invitedAt: now.toISOString(), flowId: active.flow.id, flowVersion: active.version.version, groupId: dto.groupId ?? null };
    // The pending entry comes first: the run's request is decided against it at the gateway.
    await this.consent.record(workspaceId, {
      contactId,
      types,
      state: 'pending',
      source: 'api',
      evidence: { invitation },
      flowId: active.flow.id,
      actor: { apiKeyId: auth.apiKeyId, userId: auth.userId },
    });
    const enrolled = await this.enrolments.enrolMany(active, [contactId], { triggerEventId: null, type: 'invitation', data: { invitation }, correlation: {} }, {
      startAt: null,
      enrolledGroupId: dto.groupId ?? null,
      firstStepNow: true,
    });
    if (enrolled.started.length === 0) throw alreadyInvited(null);
    return { runId: enrolled.started[0], flowId: active.flow.id, contactId, groupId: dto.groupId ?? null, invitedBy, invitedAt: invitation.invitedAt, pendingTypes: types };
  }

  private activeFlow(workspaceId: string, dto: InviteContactDto) {
    return dto.flowId ? this.flows.activeVersion(workspaceId, dto.flowId) : this.flows.activeFromTemplate(workspaceId, dto.flowKey!);
  }
}

function alreadyInvited(lastStart: Date | null): DomainError {
  return new DomainError('conflict', 'already_invited', `This contact was already invited to this flow${lastStart ? ` (${lastStart.toISOString()})` : ''}; one opt-in request per person`);
}

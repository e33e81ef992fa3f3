import { Injectable } from '@nestjs/common';
import { ContactService, GroupService } from '@optline/contacts';
import { Clock, DomainError, ValidationFailedError } from '@optline/core';
import { isOptInFlow } from '../definition/opt-in-flow';
import { FlowEnrolmentService } from '../runner/flow-enrolment.service';
import { EnrollDto } from './flow-api.dto';
import { FlowService } from './flow.service';

const GROUP_PAGE = 1000;

export interface EnrolmentReport {
  enrolled: number;
  /** Up to 100 of the new run ids (all of them for small enrolments). */
  runIds: string[];
  skipped: { alreadyRunning: number; reentry: number; unknownContacts: string[] };
  startAt: string | null;
}

/**
 * POST /v1/flows/:id/enroll: contacts or a whole group into an active flow, now or at a start
 * time. One run per contact (a contact already in a live run is skipped), the flow's re-entry
 * rule applies, a group is read page by page so any size works. Opt-in flows are refused: their
 * contacts are invited one by one (OptInInvitationService, decision 0161).
 */
@Injectable()
export class ManualEnrolmentService {
  constructor(
    private readonly flows: FlowService,
    private readonly enrolments: FlowEnrolmentService,
    private readonly contacts: ContactService,
    private readonly groups: GroupService,
    private readonly clock: Clock,
  ) {}

  async enrol(workspaceId: string, flowId: string, dto: EnrollDto): Promise<EnrolmentReport> {
    if (!dto.contactIds === !dto.groupId) {
      throw new ValidationFailedError([{ field: dto.contactIds ? 'groupId' : 'contactIds', message: 'give exactly one of contactIds or groupId' }], 'invalid');
    }
    const active = await this.flows.activeVersion(workspaceId, flowId);
    if (isOptInFlow(active.version.definition)) {
      // U.S. opt-in rules (seed 001): each opt-in request is sent because a person invited that contact.
      const message = `This flow sends an opt-in request: invite each contact on their own with POST /v1/contacts/:id/invite { "flowId": "${flowId}" }`;
      throw new DomainError('unprocessable', 'invite_per_contact', message, [{ field: dto.groupId ? 'groupId' : 'contactIds', message }]);
    }
    if (dto.startAt && dto.startAt.getTime() > this.clock.nowMs() + 366 * 86_400_000) {
      throw new DomainError('unprocessable', 'invalid_field', 'startAt must be within a year', [{ field: 'startAt', message: 'startAt must be within a year' }]);
    }
    const source = { triggerEventId: null, type: 'enrolment', data: dto.data ?? {}, correlation: {} };
    const options = { startAt: dto.startAt ?? null, enrolledGroupId: dto.groupId ?? null };
    const report: EnrolmentReport = { enrolled: 0, runIds: [], skipped: { alreadyRunning: 0, reentry: 0, unknownContacts: [] }, startAt: dto.startAt?.toISOString() ?? null };
    const add = (result: { started: string[]; reentry: number; alreadyRunning: number }) => {
      report.enrolled += result.started.length;
      report.runIds.push(...result.started.slice(0, 100 - report.runIds.length));
      report.skipped.reentry += result.reentry;
      report.skipped.alreadyRunning += result.alreadyRunning;
    };

    if (dto.contactIds) {
      const found = new Set((await this.contacts.getMany(workspaceId, dto.contactIds)).filter((c) => !c.erasedAt).map((c) => c.id));
      report.skipped.unknownContacts = [...new Set(dto.contactIds.filter((id) => !found.has(id)))];
      add(await this.enrolments.enrolMany(active, [...found], source, options));
      return report;
    }
    await this.groups.get(workspaceId, dto.groupId!); // 404 for an unknown or foreign group
    let after: string | undefined;
    for (;;) {
      const ids = await this.groups.memberIds(workspaceId, dto.groupId!, after, GROUP_PAGE);
      if (ids.length === 0) break;
      add(await this.enrolments.enrolMany(active, ids, source, options));
      after = ids[ids.length - 1];
      if (ids.length < GROUP_PAGE) break;
    }
    return report;
  }
}

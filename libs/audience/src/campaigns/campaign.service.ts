import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Clock, DomainError, DomainEventBus, NotFoundError, ValidationFailedError } from '@optline/core';
import { FlowService } from '@optline/flows';
import { Repository } from 'typeorm';
import { CampaignAudienceBuilder } from './campaign-audience';
import { isLocalTime, resolutionStart } from './campaign-schedule';
import { CampaignRepository } from './campaign.repository';
import type { CreateCampaignDto, UpdateCampaignDto } from './campaign.dto';
import { Campaign, CampaignContent, CampaignSchedule, CampaignStatus } from './campaign.entity';

const YEAR_MS = 366 * 86_400_000;

/**
 * Campaign definitions and their lifecycle: draft → scheduled → sending → completed, with pause,
 * resume and cancel. Nothing here sends: scheduling only stamps the row, and the worker's
 * CampaignRunner picks it up (never inside an HTTP request).
 */
@Injectable()
export class CampaignService {
  constructor(
    @InjectRepository(Campaign) private readonly rows: Repository<Campaign>,
    private readonly campaigns: CampaignRepository,
    private readonly audience: CampaignAudienceBuilder,
    private readonly flows: FlowService,
    private readonly clock: Clock,
    private readonly bus: DomainEventBus,
  ) {}

  async create(workspaceId: string, dto: CreateCampaignDto, actor: string): Promise<Campaign> {
    await this.audience.assert(workspaceId, dto.audience);
    const content = await this.content(workspaceId, dto.content);
    const schedule = this.scheduleOf(dto.schedule ?? { mode: 'now' });
    return this.rows.save(
      this.rows.create({
        workspaceId,
        name: dto.name.trim(),
        status: 'draft',
        audience: this.audienceOf(dto.audience),
        content,
        schedule,
        throttlePerMinute: dto.throttlePerMinute ?? null,
        createdBy: actor,
      }),
    );
  }

  list(workspaceId: string, status?: string): Promise<Campaign[]> {
    return this.rows.find({ where: { workspaceId, ...(status && { status: status as CampaignStatus }) }, order: { createdAt: 'DESC' }, take: 500 });
  }

  async get(workspaceId: string, id: string): Promise<Campaign> {
    const campaign = await this.campaigns.get(workspaceId, id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    return campaign;
  }

  /** Drafts and scheduled campaigns can be edited; once sending, the audience is frozen. */
  async update(workspaceId: string, id: string, dto: UpdateCampaignDto): Promise<Campaign> {
    const campaign = await this.get(workspaceId, id);
    this.expect(campaign, ['draft', 'scheduled'], 'edit');
    if (dto.audience) {
      await this.audience.assert(workspaceId, dto.audience);
      campaign.audience = this.audienceOf(dto.audience);
    }
    if (dto.content) campaign.content = await this.content(workspaceId, dto.content);
    if (dto.schedule) campaign.schedule = this.scheduleOf(dto.schedule);
    if (dto.name !== undefined) campaign.name = dto.name.trim();
    if (dto.throttlePerMinute !== undefined) campaign.throttlePerMinute = dto.throttlePerMinute;
    if (campaign.status === 'scheduled') campaign.startAt = resolutionStart(campaign.schedule, this.clock.now());
    return this.rows.save(campaign);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    const campaign = await this.get(workspaceId, id);
    this.expect(campaign, ['draft', 'completed', 'cancelled'], 'delete');
    await this.rows.delete({ workspaceId, id });
  }

  async schedule(workspaceId: string, id: string, schedule?: CampaignSchedule): Promise<Campaign> {
    const campaign = await this.get(workspaceId, id);
    this.expect(campaign, ['draft'], 'schedule');
    if (schedule) campaign.schedule = this.scheduleOf(schedule);
    const now = this.clock.now();
    if (campaign.schedule.mode === 'at' && new Date(campaign.schedule.at) < new Date(now.getTime() - 60_000)) {
      throw new ValidationFailedError([{ field: 'schedule.at', message: 'schedule.at is in the past' }]);
    }
    if (campaign.content.kind === 'flow') await this.flows.activeVersion(workspaceId, campaign.content.flowId);
    await this.audience.assert(workspaceId, campaign.audience);
    campaign.startAt = resolutionStart(campaign.schedule, now);
    campaign.status = 'scheduled';
    return this.rows.save(campaign);
  }

  async pause(workspaceId: string, id: string): Promise<Campaign> {
    return this.move(workspaceId, id, ['scheduled', 'sending'], 'paused', 'pause');
  }

  /** Back to sending (or to scheduled when it had not started); the runner resumes after the checkpoint. */
  async resume(workspaceId: string, id: string): Promise<Campaign> {
    const campaign = await this.get(workspaceId, id);
    return this.move(workspaceId, id, ['paused'], campaign.startedAt ? 'sending' : 'scheduled', 'resume');
  }

  /** Stops it for good; messages not yet handed to a provider are withdrawn. */
  async cancel(workspaceId: string, id: string): Promise<Campaign> {
    const campaign = await this.move(workspaceId, id, ['draft', 'scheduled', 'sending', 'paused'], 'cancelled', 'cancel', true);
    await this.campaigns.withdrawPending(workspaceId, id);
    await this.bus.publish('campaign.ended', { workspaceId, campaignId: id, status: 'cancelled' });
    return campaign;
  }

  private async move(workspaceId: string, id: string, from: CampaignStatus[], to: CampaignStatus, act: string, finish = false): Promise<Campaign> {
    const campaign = await this.get(workspaceId, id);
    this.expect(campaign, from, act);
    if (!(await this.campaigns.transition(workspaceId, id, from, to, finish ? { finishedAt: this.clock.now() } : {}))) {
      throw this.conflict(act, (await this.get(workspaceId, id)).status, from);
    }
    return this.get(workspaceId, id);
  }

  private expect(campaign: Campaign, allowed: CampaignStatus[], act: string): void {
    if (!allowed.includes(campaign.status)) throw this.conflict(act, campaign.status, allowed);
  }

  private conflict(act: string, status: string, allowed: string[]): DomainError {
    return new DomainError('conflict', 'campaign_status', `cannot ${act} a ${status} campaign (only ${allowed.join(', ')})`, [{ field: 'status', message: `is ${status}` }]);
  }

  private audienceOf(dto: CreateCampaignDto['audience']): Campaign['audience'] {
    return { groupId: dto.groupId ?? null, segmentId: dto.segmentId ?? null, excludeGroupIds: dto.excludeGroupIds ?? [], excludeSegmentIds: dto.excludeSegmentIds ?? [] };
  }

  private async content(workspaceId: string, dto: CreateCampaignDto['content']): Promise<CampaignContent> {
    if (dto.kind === 'flow') {
      try {
        await this.flows.get(workspaceId, dto.flowId!);
      } catch {
        throw new ValidationFailedError([{ field: 'content.flowId', message: `flow ${dto.flowId} was not found in this workspace` }]);
      }
      return { kind: 'flow', flowId: dto.flowId! };
    }
    return { kind: 'message', messageType: dto.messageType!, body: dto.body! };
  }

  private scheduleOf(dto: { mode: string; at?: string; localTime?: string }): CampaignSchedule {
    const now = this.clock.nowMs();
    if (dto.mode === 'at') {
      const at = Date.parse(dto.at ?? '');
      if (Number.isNaN(at)) throw new ValidationFailedError([{ field: 'schedule.at', message: 'schedule.at must be an ISO-8601 date-time' }]);
      if (at > now + YEAR_MS) throw new ValidationFailedError([{ field: 'schedule.at', message: 'schedule.at must be within a year' }]);
      return { mode: 'at', at: new Date(at).toISOString() };
    }
    if (dto.mode === 'local') {
      if (!dto.localTime || !isLocalTime(dto.localTime)) throw new ValidationFailedError([{ field: 'schedule.localTime', message: 'schedule.localTime must be a real YYYY-MM-DDTHH:mm' }]);
      if (Date.parse(`${dto.localTime}:00Z`) > now + YEAR_MS) throw new ValidationFailedError([{ field: 'schedule.localTime', message: 'schedule.localTime must be within a year' }]);
      return { mode: 'local', localTime: dto.localTime };
    }
    return { mode: 'now' };
  }
}

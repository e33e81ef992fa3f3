import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '@optline/core';
import { MessageLogService } from '@optline/messaging';
import { FlowRun, LIVE_RUN_STATUSES } from '../persistence/flow-run.entity';
import { FlowRunStep } from '../persistence/flow-run-step.entity';
import { FlowRunRepository } from '../persistence/flow-run.repository';
import { FlowExitService } from '../runner/flow-exit.service';
import { ListRunsQueryDto } from './flow-api.dto';
import { FlowService } from './flow.service';

export interface RunTimeline {
  run: FlowRun;
  timeline: FlowRunStep[];
  /** The number of the version the run executes (its diagram). */
  version: number | null;
  messages: Map<string, { id: string; status: string; body: string; type: string; deferredUntil: Date | null; sentAt: Date | null; reason: string | null }>;
}

const EXIT_PAGE = 500;

/** Reading runs (lists, one run's timeline with its messages) and ending them by hand or by archive. */
@Injectable()
export class FlowRunQueryService {
  private readonly logger = new Logger(FlowRunQueryService.name);

  constructor(
    private readonly runs: FlowRunRepository,
    private readonly flows: FlowService,
    private readonly exits: FlowExitService,
    private readonly messageLog: MessageLogService,
  ) {}

  async list(workspaceId: string, flowId: string, query: ListRunsQueryDto): Promise<{ data: FlowRun[]; nextCursor: string | null }> {
    await this.flows.get(workspaceId, flowId);
    const limit = query.limit ?? 50;
    const data = await this.runs.listForFlow(workspaceId, flowId, { status: query.status, contactId: query.contactId, after: query.after, limit });
    return { data, nextCursor: data.length === limit ? data[data.length - 1].id : null };
  }

  async get(workspaceId: string, runId: string): Promise<RunTimeline> {
    const run = await this.runs.findById(workspaceId, runId);
    if (!run) throw new NotFoundError('Run', runId);
    const timeline = await this.runs.timeline(workspaceId, runId);
    const messages: RunTimeline['messages'] = new Map();
    for (const id of new Set(timeline.map((line) => line.messageId).filter((id): id is string => id !== null))) {
      try {
        const { message } = await this.messageLog.get(workspaceId, id);
        messages.set(id, { id, status: message.status, body: message.body, type: message.type, deferredUntil: message.deferredUntil, sentAt: message.sentAt, reason: message.reason });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return { run, timeline, messages, version: await this.flows.versionNumber(workspaceId, run.flowVersionId) };
  }

  /** Ends one run by hand (support: "take this person out of the flow"). */
  async exit(workspaceId: string, runId: string, actor: string): Promise<RunTimeline> {
    const run = await this.runs.findById(workspaceId, runId);
    if (!run) throw new NotFoundError('Run', runId);
    if (LIVE_RUN_STATUSES.includes(run.status)) await this.exits.end(workspaceId, [run.id], 'ended by hand', { actor });
    return this.get(workspaceId, runId);
  }

  /** Archives a flow and ends its live runs, page by page. */
  async archive(workspaceId: string, flowId: string) {
    const result = await this.flows.archive(workspaceId, flowId);
    let ended = 0;
    let after: string | null = null;
    for (;;) {
      const ids = await this.runs.liveIdsOfFlow(workspaceId, flowId, after, EXIT_PAGE);
      if (ids.length === 0) break;
      ended += (await this.exits.end(workspaceId, ids, 'flow archived')).length;
      after = ids[ids.length - 1];
    }
    if (ended > 0) this.logger.log({ flowId, ended }, 'archived flow: live runs ended');
    return { ...result, endedRuns: ended };
  }
}

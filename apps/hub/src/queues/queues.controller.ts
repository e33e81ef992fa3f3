import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Auth, AuthContext, DomainError, ListOf, ListOfItems, NotFoundError, RequirePermission } from '@optline/core';
import { FailedJobsQueryDto, QueueJobParamDto, QueueParamDto } from './queues.dto';
import { FailedJobDto, QueueCountsDto, RetriedJobDto } from './queues.responses';
import { QueueInspector } from './queue-inspector.service';

const CountsList = ListOf(QueueCountsDto);
const FailedList = ListOf(FailedJobDto);

/**
 * /v1/queues: how the hub's queues stand, for operators' scripts and alerts. Counts are of the
 * whole hub (they name no workspace); failed jobs are listed and retried only when their payload
 * names the caller's workspace. Retrying is the one change, for admins.
 */
@ApiTags('queues')
@ApiBearerAuth()
@Controller('v1/queues')
export class QueuesController {
  constructor(private readonly inspector: QueueInspector) {}

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'listQueues', summary: 'Jobs per state in each queue' })
  @ApiOkResponse({ type: CountsList })
  @ApiErrors(401, 403)
  async list(): Promise<ListOfItems<QueueCountsDto>> {
    return { data: await this.inspector.counts() };
  }

  @Get(':name/failed')
  @RequirePermission('settings:read')
  @ApiOperation({ operationId: 'listFailedJobs', summary: "A queue's failed jobs of this workspace, newest first" })
  @ApiOkResponse({ type: FailedList })
  @ApiErrors(400, 401, 403, { status: 404, description: 'queue_not_found: no queue of that name' })
  async failed(@Auth() auth: AuthContext, @Param() params: QueueParamDto, @Query() query: FailedJobsQueryDto): Promise<ListOfItems<FailedJobDto>> {
    return { data: await this.inspector.failed(params.name, auth.workspaceId, query.limit ?? 50) };
  }

  @Post(':name/failed/:jobId/retry')
  @HttpCode(202)
  @RequirePermission('settings:write')
  @ApiOperation({ operationId: 'retryFailedJob', summary: 'Puts a failed job of this workspace back in its queue' })
  @ApiAcceptedResponse({ type: RetriedJobDto })
  @ApiErrors(400, 401, 403, { status: 404, description: 'queue_not_found, or job_not_found: no such job of this workspace' }, { status: 409, description: 'job_not_failed: the job is not in the failed state' })
  async retry(@Auth() auth: AuthContext, @Param() params: QueueJobParamDto): Promise<RetriedJobDto> {
    const result = await this.inspector.retry(params.name, auth.workspaceId, params.jobId);
    if (result === 'not_found') throw new NotFoundError('Job', params.jobId);
    if (result === 'not_failed') throw new DomainError('conflict', 'job_not_failed', `Job ${params.jobId} is not failed; only failed jobs are retried`);
    return result;
  }
}

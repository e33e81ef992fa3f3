import { Injectable, OnModuleInit } from '@nestjs/common';
import { WorkspaceReferences } from '@optline/core';
import { FlowRepository } from './flow.repository';

/** Lets lower libraries check that a `flowId` in a request is a flow of the caller's workspace. */
@Injectable()
export class FlowReferences implements OnModuleInit {
  constructor(
    private readonly references: WorkspaceReferences,
    private readonly flows: FlowRepository,
  ) {}

  onModuleInit(): void {
    this.references.register('flow', async (workspaceId, ids) => {
      const found = await Promise.all(ids.map((id) => this.flows.findById(workspaceId, id)));
      return found.flatMap((flow) => (flow ? [flow.id] : []));
    });
  }
}

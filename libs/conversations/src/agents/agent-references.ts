import { Injectable, OnModuleInit } from '@nestjs/common';
import { WorkspaceReferences } from '@optline/core';
import { AgentRepository } from './agent.repository';

/** Lets lower libraries (the consent ledger) check that an `agentId` is an agent of the caller's workspace. */
@Injectable()
export class AgentReferences implements OnModuleInit {
  constructor(
    private readonly references: WorkspaceReferences,
    private readonly agents: AgentRepository,
  ) {}

  onModuleInit(): void {
    this.references.register('agent', async (workspaceId, ids) => (await this.agents.getMany(workspaceId, ids)).map((agent) => agent.id));
  }
}

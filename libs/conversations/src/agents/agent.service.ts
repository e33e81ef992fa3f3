import { Injectable } from '@nestjs/common';
import { ApiKeyService, AuthContext, DomainError, invalidField, NotFoundError, Role, UserService } from '@optline/core';
import type { Viewer } from '../conversations/viewer';
import { Agent } from './agent.entity';
import { AgentRepository } from './agent.repository';

/** Roles that may text clients: the ones holding conversations:write. */
export const AGENT_ROLES: Role[] = ['admin', 'support'];

export interface CreatedAgent {
  agent: Agent;
  /** The agent's own API key when one was issued for it: shown once, never again. */
  key: string | null;
}

/** Agents: who they are to clients, and which API key speaks for each (docs/decisions/0130). */
@Injectable()
export class AgentService {
  constructor(
    private readonly agents: AgentRepository,
    private readonly apiKeys: ApiKeyService,
    private readonly users: UserService,
  ) {}

  /** Binds an existing key (role support or admin), or issues a new support key for the agent. */
  async create(workspaceId: string, input: { displayName: string; apiKeyId?: string }): Promise<CreatedAgent> {
    if (input.apiKeyId) {
      const key = (await this.apiKeys.list(workspaceId)).find((k) => k.id === input.apiKeyId);
      if (!key || key.revokedAt) throw invalidField('apiKeyId', 'no active API key with this id in this workspace', 'api_key_not_found');
      if (!AGENT_ROLES.includes(key.role)) throw invalidField('apiKeyId', `an agent's key needs the role ${AGENT_ROLES.join(' or ')}; this one is ${key.role}`, 'api_key_role');
      if (await this.agents.byApiKey(workspaceId, key.id)) throw new DomainError('conflict', 'agent_exists', 'This API key already belongs to an agent');
      return { agent: await this.agents.create(workspaceId, key.id, input.displayName), key: null };
    }
    const issued = await this.apiKeys.issue(workspaceId, `Agent: ${input.displayName}`.slice(0, 80), 'support');
    return { agent: await this.agents.create(workspaceId, issued.apiKey.id, input.displayName), key: issued.secret };
  }

  list(workspaceId: string): Promise<Agent[]> {
    return this.agents.list(workspaceId);
  }

  async get(workspaceId: string, id: string): Promise<Agent> {
    const agent = await this.agents.get(workspaceId, id);
    if (!agent) throw new NotFoundError('Agent', id);
    return agent;
  }

  getMany(workspaceId: string, ids: string[]): Promise<Agent[]> {
    return this.agents.getMany(workspaceId, [...new Set(ids)]);
  }

  async rename(workspaceId: string, id: string, displayName: string): Promise<Agent> {
    await this.get(workspaceId, id);
    await this.agents.rename(workspaceId, id, displayName);
    return this.get(workspaceId, id);
  }

  /** The agent's conversations go back to the team inbox; its key is left alone (revoke it separately). */
  async remove(workspaceId: string, id: string): Promise<void> {
    await this.get(workspaceId, id);
    await this.agents.remove(workspaceId, id);
  }

  /**
   * The caller as the conversation rules see it. An API key is an agent when one is bound to it
   * (decision 0130). A signed-in person whose role may write in conversations is their own agent,
   * named with their display name, created the first time they open the inbox (decision 0220);
   * other roles read as the team.
   */
  async viewer(auth: AuthContext): Promise<Viewer> {
    if (auth.userId) return { auth, agent: await this.forUser(auth, auth.userId) };
    return { auth, agent: auth.apiKeyId ? await this.agents.byApiKey(auth.workspaceId, auth.apiKeyId) : null };
  }

  private async forUser(auth: AuthContext, userId: string): Promise<Agent | null> {
    const existing = await this.agents.byUser(auth.workspaceId, userId);
    if (existing || !AGENT_ROLES.includes(auth.role)) return existing;
    const user = await this.users.get(auth.workspaceId, userId);
    return this.agents.ensureForUser(auth.workspaceId, userId, user.displayName.slice(0, 60));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Agent } from './agent.entity';

/** The agent table's queries; every one takes the workspace id. */
@Injectable()
export class AgentRepository {
  constructor(@InjectRepository(Agent) private readonly agents: Repository<Agent>) {}

  create(workspaceId: string, apiKeyId: string, displayName: string): Promise<Agent> {
    return this.agents.save(this.agents.create({ workspaceId, apiKeyId, displayName }));
  }

  /** The person's agent row, created on first use; concurrent first uses get the same row. */
  async ensureForUser(workspaceId: string, userId: string, displayName: string): Promise<Agent> {
    await this.agents.createQueryBuilder().insert().into(Agent).values({ workspaceId, userId, apiKeyId: null, displayName }).orIgnore().execute();
    return (await this.byUser(workspaceId, userId))!;
  }

  byUser(workspaceId: string, userId: string): Promise<Agent | null> {
    return this.agents.findOne({ where: { workspaceId, userId } });
  }

  get(workspaceId: string, id: string): Promise<Agent | null> {
    return this.agents.findOne({ where: { workspaceId, id } });
  }

  getMany(workspaceId: string, ids: string[]): Promise<Agent[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.agents.createQueryBuilder('a').where('a.workspace_id = :workspaceId AND a.id IN (:...ids)', { workspaceId, ids }).getMany();
  }

  byApiKey(workspaceId: string, apiKeyId: string): Promise<Agent | null> {
    return this.agents.findOne({ where: { workspaceId, apiKeyId } });
  }

  list(workspaceId: string): Promise<Agent[]> {
    return this.agents.find({ where: { workspaceId }, order: { displayName: 'ASC', id: 'ASC' } });
  }

  async rename(workspaceId: string, id: string, displayName: string): Promise<void> {
    await this.agents.update({ workspaceId, id }, { displayName });
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    await this.agents.delete({ workspaceId, id });
  }
}

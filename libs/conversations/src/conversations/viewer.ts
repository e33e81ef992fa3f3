import type { AuthContext } from '@optline/core';
import type { Agent } from '../agents/agent.entity';
import type { Conversation } from './conversation.entity';
import type { Visibility } from './conversation.repository';

/** Who is looking: the API key's context and, when the key belongs to an agent, that agent. */
export interface Viewer {
  auth: AuthContext;
  agent: Agent | null;
}

/** Admins see every conversation; everyone else the team inbox and (agents) their own. */
export function visibilityOf(viewer: Viewer): Visibility {
  return viewer.auth.role === 'admin' ? { all: true } : { all: false, agentId: viewer.agent?.id ?? null };
}

export function canSee(viewer: Viewer, conversation: Pick<Conversation, 'agentId'>): boolean {
  return canSeeOwner(visibilityOf(viewer), conversation.agentId);
}

export function canSeeOwner(visibility: Visibility, ownerAgentId: string | null): boolean {
  return visibility.all || ownerAgentId === null || ownerAgentId === visibility.agentId;
}

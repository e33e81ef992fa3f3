import { Injectable } from '@nestjs/common';
import { DomainError } from '@optline/core';

/** Where a workspace stands with the flow made from one built-in template. */
export interface TemplateFlowStatus {
  flowId: string | null;
  /** `missing`: no flow from the template (or only archived ones). */
  status: 'active' | 'paused' | 'draft' | 'missing';
  /** What `ensureTemplateFlow` did: created it, activated it, or nothing. */
  changed?: 'created' | 'activated';
}

/**
 * What the flows library does for plugins through the PluginHost. The flows library imports
 * this SDK (it consumes trigger events), so the SDK cannot import it: flows registers its
 * implementation here at start, like a trigger-event consumer (decision 0162).
 */
export interface HubFlowsProvider {
  /** Creates and activates the template's flow when missing, activates a draft; a paused one stays paused. */
  ensureTemplateFlow(workspaceId: string, templateKey: string): Promise<TemplateFlowStatus>;
  /** The id of an active flow that `eventType` starts and that sends an opt-in request, or null. */
  activeOptInFlowFor(workspaceId: string, eventType: string): Promise<string | null>;
}

@Injectable()
export class HubFlows implements HubFlowsProvider {
  private provider: HubFlowsProvider | null = null;

  register(provider: HubFlowsProvider): void {
    this.provider = provider;
  }

  ensureTemplateFlow(workspaceId: string, templateKey: string): Promise<TemplateFlowStatus> {
    return this.required().ensureTemplateFlow(workspaceId, templateKey);
  }

  activeOptInFlowFor(workspaceId: string, eventType: string): Promise<string | null> {
    return this.provider ? this.provider.activeOptInFlowFor(workspaceId, eventType) : Promise.resolve(null);
  }

  private required(): HubFlowsProvider {
    if (!this.provider) throw new DomainError('unavailable', 'flows_unavailable', 'Flows are not running in this process; try again');
    return this.provider;
  }
}

import { Injectable } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

/** Finds which of these ids exist in the workspace. */
export type ReferenceFinder = (workspaceId: string, ids: string[]) => Promise<string[]>;

export interface Reference {
  /** The request field that names it, e.g. `flowId`. */
  field: string;
  /** The kind registered by the library that owns the rows, e.g. `flow`, `agent`. */
  kind: string;
  id: string | null | undefined;
}

/**
 * Checks that ids a request names belong to the caller's workspace, for ids of rows a lower
 * library cannot read itself (consent names flows and agents, which live above it). The owning
 * library registers a finder for its kind at boot; the caller gets a 404 naming the field
 * (law 6; docs/decisions/0154).
 */
@Injectable()
export class WorkspaceReferences {
  private readonly finders = new Map<string, ReferenceFinder>();

  register(kind: string, finder: ReferenceFinder): void {
    this.finders.set(kind, finder);
  }

  /** Throws 404 `<kind>_not_found` naming the first field whose id is not in the workspace. */
  async assertInWorkspace(workspaceId: string, references: Reference[]): Promise<void> {
    for (const reference of references) {
      if (reference.id === null || reference.id === undefined) continue;
      const finder = this.finders.get(reference.kind);
      if (!finder) throw new Error(`no finder registered for ${reference.kind} references`);
      const found = await finder(workspaceId, [reference.id]);
      if (!found.includes(reference.id)) {
        throw new DomainError('not_found', `${reference.kind}_not_found`, `${reference.field}: ${reference.kind} ${reference.id} was not found in this workspace`, [
          { field: reference.field, message: `no ${reference.kind} with this id in this workspace` },
        ]);
      }
    }
  }
}

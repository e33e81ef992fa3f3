import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ContactGroup, SYSTEM_GROUP_NAMES, SystemGroupKind } from './contact-group.entity';

export interface GroupWithCount extends ContactGroup {
  memberCount: number;
}

/** Queries on groups and memberships, each scoped by workspace. */
@Injectable()
export class GroupRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(ContactGroup);
  }

  async find(workspaceId: string, id: string): Promise<ContactGroup | null> {
    return this.repo().findOne({ where: { workspaceId, id } });
  }

  async findByName(workspaceId: string, name: string): Promise<ContactGroup | null> {
    return this.repo().findOne({ where: { workspaceId, name } });
  }

  async listWithCounts(workspaceId: string): Promise<GroupWithCount[]> {
    const groups = await this.repo().find({ where: { workspaceId }, order: { createdAt: 'ASC', name: 'ASC' } });
    if (groups.length === 0) return [];
    const counts: { group_id: string; n: string }[] = await this.dataSource.query(
      `SELECT group_id, count(*) AS n FROM group_member WHERE workspace_id = $1 GROUP BY group_id`,
      [workspaceId],
    );
    const byId = new Map(counts.map((c) => [c.group_id, Number(c.n)]));
    return groups.map((g) => Object.assign(g, { memberCount: byId.get(g.id) ?? 0 }));
  }

  async memberCount(workspaceId: string, groupId: string): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(`SELECT count(*) AS n FROM group_member WHERE workspace_id = $1 AND group_id = $2`, [
      workspaceId,
      groupId,
    ]);
    return Number(row.n);
  }

  async save(group: ContactGroup): Promise<ContactGroup> {
    return this.repo().save(group);
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    await this.repo().delete({ workspaceId, id });
  }

  /** The workspace's system group, created on first use (races end in the one unique row). */
  async systemGroup(workspaceId: string, kind: SystemGroupKind, manager: EntityManager = this.dataSource.manager): Promise<ContactGroup> {
    const existing = await this.repo(manager).findOne({ where: { workspaceId, kind } });
    if (existing) return existing;
    await manager.query(
      `INSERT INTO contact_group (workspace_id, name, kind, description) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [workspaceId, SYSTEM_GROUP_NAMES[kind], kind, 'Kept in step with consent automatically'],
    );
    return this.repo(manager).findOneOrFail({ where: { workspaceId, kind } });
  }

  /** Adds the given contacts that exist (and are not erased); returns the ids that do not. */
  async addMembers(workspaceId: string, groupId: string, contactIds: string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const found: { id: string }[] = await manager.query(
      `WITH found AS (
         SELECT c.id FROM contact c WHERE c.workspace_id = $1 AND c.id = ANY($3::uuid[]) AND c.erased_at IS NULL
       ), added AS (
         INSERT INTO group_member (group_id, contact_id, workspace_id) SELECT $2, id, $1 FROM found ON CONFLICT DO NOTHING
       )
       SELECT id FROM found`,
      [workspaceId, groupId, contactIds],
    );
    const present = new Set(found.map((r) => r.id));
    return contactIds.filter((id) => !present.has(id));
  }

  async removeMembers(workspaceId: string, groupId: string, contactIds: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`DELETE FROM group_member WHERE workspace_id = $1 AND group_id = $2 AND contact_id = ANY($3::uuid[])`, [
      workspaceId,
      groupId,
      contactIds,
    ]);
  }

  async memberIds(workspaceId: string, groupId: string, after: string | undefined, limit: number): Promise<string[]> {
    const rows: { contact_id: string }[] = await this.dataSource.query(
      `SELECT contact_id FROM group_member WHERE workspace_id = $1 AND group_id = $2 AND ($3::uuid IS NULL OR contact_id > $3::uuid)
       ORDER BY contact_id LIMIT $4`,
      [workspaceId, groupId, after ?? null, limit],
    );
    return rows.map((r) => r.contact_id);
  }

  /** Puts each contact in exactly the system group its summary names (or neither). */
  async placeInSystemGroups(
    workspaceId: string,
    groups: Record<SystemGroupKind, string>,
    placement: { contactId: string; group: SystemGroupKind | null }[],
    manager: EntityManager,
  ): Promise<void> {
    if (placement.length === 0) return;
    for (const kind of ['opted_in', 'opted_out'] as const) {
      const leaving = placement.filter((p) => p.group !== kind).map((p) => p.contactId);
      const joining = placement.filter((p) => p.group === kind).map((p) => p.contactId);
      // (group_id, contact_id) is the primary key: both statements are index lookups, however large the group.
      if (leaving.length > 0) {
        await manager.query(`DELETE FROM group_member WHERE group_id = $1 AND contact_id = ANY($2::uuid[]) AND workspace_id = $3`, [
          groups[kind],
          leaving,
          workspaceId,
        ]);
      }
      if (joining.length > 0) {
        await manager.query(
          `INSERT INTO group_member (group_id, contact_id, workspace_id) SELECT $1, x, $3 FROM unnest($2::uuid[]) AS x ON CONFLICT DO NOTHING`,
          [groups[kind], joining, workspaceId],
        );
      }
    }
  }
}

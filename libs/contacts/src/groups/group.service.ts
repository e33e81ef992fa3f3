import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError } from '@optline/core';
import type { EntityManager } from 'typeorm';
import { ContactGroup, SystemGroupKind } from './contact-group.entity';
import { GroupRepository, GroupWithCount } from './group.repository';

/** What a contact's consent says about the system groups: Opted-In, Opted-Out, or neither. */
export type ConsentGroupPlacement = { contactId: string; group: SystemGroupKind | null };

/** Static groups and their members, and the two system groups consent keeps in step. */
@Injectable()
export class GroupService {
  constructor(private readonly groups: GroupRepository) {}

  async create(workspaceId: string, name: string, description: string | null = null): Promise<ContactGroup> {
    await this.assertNameFree(workspaceId, name);
    return this.groups.save(Object.assign(new ContactGroup(), { workspaceId, name, description, kind: 'static' }));
  }

  async list(workspaceId: string): Promise<GroupWithCount[]> {
    await Promise.all([this.systemGroup(workspaceId, 'opted_in'), this.systemGroup(workspaceId, 'opted_out')]);
    return this.groups.listWithCounts(workspaceId);
  }

  async get(workspaceId: string, id: string): Promise<ContactGroup> {
    const group = await this.groups.find(workspaceId, id);
    if (!group) throw new NotFoundError('Group', id);
    return group;
  }

  async memberCount(workspaceId: string, id: string): Promise<number> {
    return this.groups.memberCount(workspaceId, id);
  }

  async update(workspaceId: string, id: string, change: { name?: string; description?: string | null }): Promise<ContactGroup> {
    const group = this.assertStatic(await this.get(workspaceId, id));
    if (change.name !== undefined && change.name !== group.name) {
      await this.assertNameFree(workspaceId, change.name);
      group.name = change.name;
    }
    if (change.description !== undefined) group.description = change.description;
    return this.groups.save(group);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    this.assertStatic(await this.get(workspaceId, id));
    await this.groups.remove(workspaceId, id);
  }

  /** The workspace's Opted-In or Opted-Out group (created on first use). */
  async systemGroup(workspaceId: string, which: SystemGroupKind): Promise<ContactGroup> {
    return this.groups.systemGroup(workspaceId, which);
  }

  /** Adds contacts to a static group (idempotent). 404 naming any id that is not a live contact of this workspace. */
  async addMembers(workspaceId: string, groupId: string, contactIds: string[]): Promise<void> {
    this.assertStatic(await this.get(workspaceId, groupId));
    const missing = await this.groups.addMembers(workspaceId, groupId, [...new Set(contactIds)]);
    if (missing.length > 0) {
      throw new DomainError(
        'not_found',
        'contact_not_found',
        `${missing.length} contact(s) were not found in this workspace; the others were added`,
        missing.map((id) => ({ field: `contactIds[${contactIds.indexOf(id)}]`, message: `contact ${id} was not found` })),
      );
    }
  }

  async removeMembers(workspaceId: string, groupId: string, contactIds: string[]): Promise<void> {
    this.assertStatic(await this.get(workspaceId, groupId));
    await this.groups.removeMembers(workspaceId, groupId, contactIds);
  }

  /** Moves contacts from one static group to another (seed 001: "moved to another group"). */
  async moveMembers(workspaceId: string, fromGroupId: string, toGroupId: string, contactIds: string[]): Promise<void> {
    this.assertStatic(await this.get(workspaceId, fromGroupId));
    await this.addMembers(workspaceId, toGroupId, contactIds);
    await this.groups.removeMembers(workspaceId, fromGroupId, contactIds);
  }

  /** Member ids in ascending order after `after`: keyset pages for enrolling large groups. */
  async memberIds(workspaceId: string, groupId: string, after?: string, limit = 1000): Promise<string[]> {
    await this.get(workspaceId, groupId);
    return this.groups.memberIds(workspaceId, groupId, after, Math.min(Math.max(limit, 1), 10_000));
  }

  /**
   * Called by the consent ledger inside its append transaction: moves each contact into the
   * system group its consent now implies.
   */
  async placeByConsent(workspaceId: string, placement: ConsentGroupPlacement[], manager: EntityManager): Promise<void> {
    if (placement.length === 0) return;
    const [optedIn, optedOut] = [await this.groups.systemGroup(workspaceId, 'opted_in', manager), await this.groups.systemGroup(workspaceId, 'opted_out', manager)];
    await this.groups.placeInSystemGroups(workspaceId, { opted_in: optedIn.id, opted_out: optedOut.id }, placement, manager);
  }

  private assertStatic(group: ContactGroup): ContactGroup {
    if (group.kind !== 'static') {
      throw new DomainError(
        'unprocessable',
        'system_group_follows_consent',
        `"${group.name}" follows consent and cannot be changed by hand; record a consent change instead`,
      );
    }
    return group;
  }

  private async assertNameFree(workspaceId: string, name: string): Promise<void> {
    if (await this.groups.findByName(workspaceId, name)) {
      throw new DomainError('conflict', 'group_name_taken', `A group named "${name}" already exists`, [{ field: 'name', message: 'already used' }]);
    }
  }
}

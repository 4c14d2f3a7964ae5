import { Injectable } from '@nestjs/common';
import { isUuid } from '@tessera/domain';
import { InvalidationEvents } from '@tessera/server';
import { type DirectoryGroup, type DirectoryGroupInput, isUniqueViolation, ScimDirectoryRepository } from '@tessera/persistence';
import type { ScimCaller } from './scim-auth.guard';
import { ScimAudit } from './scim-audit';
import { listResponse, pageOf } from './scim-discovery';
import { ScimError } from './scim-errors';
import { parseScimFilter } from './scim-filter';
import { applyScimPatch } from './scim-patch';
import { groupInputFrom, type ScimResourceJson, toScimGroup } from './scim-resources';
import { SCIM_SCHEMAS } from './scim-schemas';
import { versionFromIfMatch, writeVersioned } from './scim-versions';

/** At most this many member ids are named in one audit event (the counts are always exact). */
const AUDITED_MEMBER_IDS = 100;

/**
 * SCIM Groups: the tenant's groups. A group's displayName is the group name document ACLs and
 * workspace membership rules use; renaming it in the IdP renames it here (ACLs naming the old name
 * stop matching, as they would for any renamed group).
 */
@Injectable()
export class ScimGroupsService {
  constructor(
    private readonly directory: ScimDirectoryRepository,
    private readonly audit: ScimAudit,
    private readonly events: InvalidationEvents,
  ) {}

  async list(caller: ScimCaller, query: Record<string, unknown>): Promise<Record<string, unknown>> {
    const filter = parseScimFilter(query.filter, ['displayName', 'externalId', 'id'], SCIM_SCHEMAS.group);
    const { startIndex, count } = pageOf(query);
    const page = await this.directory.listGroups(caller.tenantId, filter, startIndex - 1, count);
    // Okta and Entra page through groups without their members: `excludedAttributes=members` is honoured.
    const withMembers = !/(^|,)\s*members\s*(,|$)/i.test(String(query.excludedAttributes ?? ''));
    const members = withMembers ? await this.directory.membersOf(caller.tenantId, page.items.map((g) => g.id)) : new Map();
    const resources = page.items.map((g) => {
      const resource = toScimGroup(caller.baseUrl, g, members.get(g.id) ?? []);
      if (!withMembers) delete resource.members;
      return resource;
    });
    return listResponse(resources, page.total, startIndex);
  }

  async get(caller: ScimCaller, id: string): Promise<ScimResourceJson> {
    return this.represent(caller, await this.require(caller, id));
  }

  async create(caller: ScimCaller, body: unknown): Promise<ScimResourceJson> {
    const input = groupInputFrom(body);
    await this.requireMembersOfTenant(caller, input.memberIds);
    let group: DirectoryGroup;
    try {
      group = await this.directory.createGroup(caller.tenantId, input);
    } catch (error) {
      if (isUniqueViolation(error)) throw ScimError.uniqueness(`a Group named ${input.displayName} exists already`);
      throw error;
    }
    this.events.directoryChanged(caller.tenantId);
    await this.audit.record(caller, 'scim.group.create', { groupId: group.id, displayName: group.displayName, ...memberChanges([], input.memberIds) });
    return this.represent(caller, group);
  }

  async replace(caller: ScimCaller, id: string, body: unknown, ifMatch: string | undefined): Promise<ScimResourceJson> {
    const input = groupInputFrom(body);
    return this.write(caller, id, ifMatch, 'scim.group.replace', () => input);
  }

  async patch(caller: ScimCaller, id: string, body: unknown, ifMatch: string | undefined): Promise<ScimResourceJson> {
    return this.write(caller, id, ifMatch, 'scim.group.patch', async (current) => {
      const patched = applyScimPatch(await this.represent(caller, current), body);
      if (patched.id !== current.id) throw ScimError.badRequest('mutability', 'id cannot be changed');
      return groupInputFrom(patched);
    });
  }

  async delete(caller: ScimCaller, id: string, ifMatch: string | undefined): Promise<void> {
    const group = await this.require(caller, id);
    const expected = versionFromIfMatch(ifMatch);
    if (expected !== undefined && expected !== group.version) throw ScimError.preconditionFailed();
    if (!(await this.directory.deleteGroup(caller.tenantId, group.id))) throw ScimError.notFound('Group', id);
    this.events.directoryChanged(caller.tenantId);
    await this.audit.record(caller, 'scim.group.delete', { groupId: group.id, displayName: group.displayName });
  }

  private async write(
    caller: ScimCaller,
    id: string,
    ifMatch: string | undefined,
    action: 'scim.group.replace' | 'scim.group.patch',
    change: (current: DirectoryGroup) => DirectoryGroupInput | Promise<DirectoryGroupInput>,
  ): Promise<ScimResourceJson> {
    if (!isUuid(id)) throw ScimError.notFound('Group', id);
    let membersBefore: string[] = [];
    let membersAfter: readonly string[] = [];
    let written: { before: DirectoryGroup; after: DirectoryGroup };
    try {
      written = await writeVersioned(
        versionFromIfMatch(ifMatch),
        () => this.directory.findGroup(caller.tenantId, id),
        async (current) => {
          const input = await change(current);
          membersBefore = ((await this.directory.membersOf(caller.tenantId, [id])).get(id) ?? []).map((m) => m.id);
          const existing = new Set(membersBefore);
          await this.requireMembersOfTenant(caller, input.memberIds.filter((m) => !existing.has(m)));
          membersAfter = input.memberIds;
          return this.directory.replaceGroup(caller.tenantId, id, input, current.version);
        },
        'Group',
        id,
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw ScimError.uniqueness('another Group has that displayName');
      throw error;
    }
    const { before, after } = written;
    this.events.directoryChanged(caller.tenantId);
    await this.audit.record(caller, action, {
      groupId: id,
      ...(before.displayName !== after.displayName ? { renamedFrom: before.displayName, displayName: after.displayName } : {}),
      ...memberChanges(membersBefore, membersAfter),
    });
    return this.represent(caller, after);
  }

  private async requireMembersOfTenant(caller: ScimCaller, ids: readonly string[]): Promise<void> {
    const unknown = await this.directory.unknownUsers(caller.tenantId, ids);
    if (unknown.length > 0) throw ScimError.badRequest('invalidValue', `no User with id ${unknown[0]} in this tenant`);
  }

  private async require(caller: ScimCaller, id: string): Promise<DirectoryGroup> {
    const group = isUuid(id) ? await this.directory.findGroup(caller.tenantId, id) : null;
    if (!group) throw ScimError.notFound('Group', id);
    return group;
  }

  private async represent(caller: ScimCaller, group: DirectoryGroup): Promise<ScimResourceJson> {
    const members = await this.directory.membersOf(caller.tenantId, [group.id]);
    return toScimGroup(caller.baseUrl, group, members.get(group.id) ?? []);
  }
}

function memberChanges(before: readonly string[], after: readonly string[]): Record<string, unknown> {
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  const added = after.filter((m) => !beforeSet.has(m));
  const removed = before.filter((m) => !afterSet.has(m));
  return {
    membersAdded: added.length, membersRemoved: removed.length,
    ...(added.length ? { addedUserIds: added.slice(0, AUDITED_MEMBER_IDS) } : {}),
    ...(removed.length ? { removedUserIds: removed.slice(0, AUDITED_MEMBER_IDS) } : {}),
  };
}

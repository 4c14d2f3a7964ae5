import { Injectable } from '@nestjs/common';
import { isUuid } from '@tessera/domain';
import { InvalidationEvents } from '@tessera/server';
import { type DirectoryUser, type DirectoryUserInput, isUniqueViolation, ScimDirectoryRepository } from '@tessera/persistence';
import type { ScimCaller } from './scim-auth.guard';
import { ScimAudit } from './scim-audit';
import { listResponse, pageOf } from './scim-discovery';
import { ScimError } from './scim-errors';
import { parseScimFilter } from './scim-filter';
import { applyScimPatch } from './scim-patch';
import { type ScimResourceJson, toScimUser, userInputFrom } from './scim-resources';
import { SCIM_SCHEMAS } from './scim-schemas';
import { versionFromIfMatch, writeVersioned } from './scim-versions';
import { UserDeprovisioning } from './user-deprovisioning';

/** SCIM Users: the tenant's users (userName is their email/login), with their SCIM groups read-only. */
@Injectable()
export class ScimUsersService {
  constructor(
    private readonly directory: ScimDirectoryRepository,
    private readonly audit: ScimAudit,
    private readonly events: InvalidationEvents,
    private readonly deprovisioning: UserDeprovisioning,
  ) {}

  async list(caller: ScimCaller, query: Record<string, unknown>): Promise<Record<string, unknown>> {
    const filter = parseScimFilter(query.filter, ['userName', 'externalId', 'displayName', 'id'], SCIM_SCHEMAS.user);
    const { startIndex, count } = pageOf(query);
    const page = await this.directory.listUsers(caller.tenantId, filter, startIndex - 1, count);
    const groups = await this.directory.groupsOfUsers(caller.tenantId, page.items.map((u) => u.id));
    return listResponse(page.items.map((u) => toScimUser(caller.baseUrl, u, groups.get(u.id) ?? [])), page.total, startIndex);
  }

  async get(caller: ScimCaller, id: string): Promise<ScimResourceJson> {
    return this.represent(caller, await this.require(caller, id));
  }

  async create(caller: ScimCaller, body: unknown): Promise<ScimResourceJson> {
    const input = userInputFrom(body);
    let user: DirectoryUser;
    try {
      user = await this.directory.createUser(caller.tenantId, input);
    } catch (error) {
      if (isUniqueViolation(error)) throw ScimError.uniqueness(`a User with userName ${input.email} exists already`);
      throw error;
    }
    await this.audit.record(caller, 'scim.user.create', { userId: user.id, active: user.active });
    return this.represent(caller, user);
  }

  async replace(caller: ScimCaller, id: string, body: unknown, ifMatch: string | undefined): Promise<ScimResourceJson> {
    const input = userInputFrom(body);
    return this.write(caller, id, ifMatch, 'scim.user.replace', () => input);
  }

  async patch(caller: ScimCaller, id: string, body: unknown, ifMatch: string | undefined): Promise<ScimResourceJson> {
    return this.write(caller, id, ifMatch, 'scim.user.patch', async (current) => {
      const patched = applyScimPatch(await this.represent(caller, current), body);
      if (patched.id !== current.id) throw ScimError.badRequest('mutability', 'id cannot be changed');
      return userInputFrom(patched);
    });
  }

  /** Deleting a user ends their access first: tokens, grants and sessions, then the user. */
  async delete(caller: ScimCaller, id: string, ifMatch: string | undefined): Promise<void> {
    const user = await this.require(caller, id);
    const expected = versionFromIfMatch(ifMatch);
    if (expected !== undefined && expected !== user.version) throw ScimError.preconditionFailed();
    await this.deprovisioning.revokeAccess(caller, user, 'deleted');
    if (!(await this.directory.deleteUser(caller.tenantId, user.id))) throw ScimError.notFound('User', id);
    this.events.directoryChanged(caller.tenantId);
    await this.audit.record(caller, 'scim.user.delete', { userId: user.id });
  }

  private async write(
    caller: ScimCaller,
    id: string,
    ifMatch: string | undefined,
    action: 'scim.user.replace' | 'scim.user.patch',
    change: (current: DirectoryUser) => DirectoryUserInput | Promise<DirectoryUserInput>,
  ): Promise<ScimResourceJson> {
    if (!isUuid(id)) throw ScimError.notFound('User', id);
    let written: { before: DirectoryUser; after: DirectoryUser };
    try {
      written = await writeVersioned(
        versionFromIfMatch(ifMatch),
        () => this.directory.findUser(caller.tenantId, id),
        async (current) => this.directory.replaceUser(caller.tenantId, id, await change(current), current.version),
        'User',
        id,
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw ScimError.uniqueness('another User has that userName');
      throw error;
    }
    const { before, after } = written;
    this.events.directoryChanged(caller.tenantId); // this process: at once; others hear it at commit
    await this.audit.record(caller, action, { userId: id, changed: changedFields(before, after) });
    if (before.active && !after.active) {
      await this.audit.record(caller, 'scim.user.deactivate', { userId: id });
      await this.deprovisioning.revokeAccess(caller, after, 'deactivated');
    }
    return this.represent(caller, after);
  }

  private async require(caller: ScimCaller, id: string): Promise<DirectoryUser> {
    const user = isUuid(id) ? await this.directory.findUser(caller.tenantId, id) : null;
    if (!user) throw ScimError.notFound('User', id);
    return user;
  }

  private async represent(caller: ScimCaller, user: DirectoryUser): Promise<ScimResourceJson> {
    const groups = await this.directory.groupsOfUsers(caller.tenantId, [user.id]);
    return toScimUser(caller.baseUrl, user, groups.get(user.id) ?? []);
  }
}

/** Which attributes a write changed (names only: values can be personal data). */
function changedFields(before: DirectoryUser, after: DirectoryUser): string[] {
  const fields: Array<keyof DirectoryUser> = ['email', 'name', 'externalId', 'active'];
  const changed: string[] = fields.filter((f) => before[f] !== after[f]).map((f) => (f === 'email' ? 'userName' : f));
  if (JSON.stringify(before.scim) !== JSON.stringify(after.scim)) changed.push('attributes');
  return changed;
}

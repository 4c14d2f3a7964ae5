import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { clientKindRefusal, isUuid, type ClientKind, type Principal, type WorkspaceContext } from '@tessera/domain';
import { ChangeFeed, DIRECTORY_CHANGE_CHANNEL, listenOnChannel, ScimDirectoryRepository, UserRepository } from '@tessera/persistence';
import { InvalidationEvents } from '@tessera/server';
import type { MaybePromise } from '../common/maybe-promise';
import { TtlCache } from './ttl-cache';

/** Whether the directory still admits a verified caller, and with which groups. */
export interface CallerDirectory {
  check(principal: Principal, workspace: WorkspaceContext): MaybePromise<Principal | null>;
}

/** What is held is trusted only if the database confirmed it this recently (the search cache's rule). */
export const CONFIRMED_WITHIN_MS = 1_000;
const HELD_ENTRIES = 50_000;

/** The directory's answer for one caller in one workspace: their groups now, or null (refused). */
interface Standing {
  readonly groups: readonly string[] | null;
  readonly confirmedAt: number;
  readonly epoch: number;
  readonly changes: number;
}

/**
 * The gateway's per-call check that the directory still admits a caller, so that a group claim in a live
 * token never outlives the directory:
 * - an OAuth user (JWT) is refused once they are no longer a member of the workspace (deactivated,
 *   deleted, removed, or out of every SCIM group its rule names), and searches with the groups the
 *   directory gives them now, not those in the token; and refused once the workspace's client policy
 *   forbids the kind of client the token was issued to (clientKindRefusal, the authorization server's
 *   rule), so a policy change ends live access tokens as it ends refresh tokens;
 * - a workspace access token issued to a person of the directory (subject = their email) is refused once
 *   they are deactivated, and loses each SCIM group they have left; tokens for other subjects are as
 *   their admin issued them.
 * Answers are held in memory under the search cache's consistency rule: while this process listens to the
 * directory's change announcements (migration 1765800000000), an answer is used again only if the
 * database confirmed it within the last second and nothing was announced for its tenant since; otherwise
 * (not listening, e.g. the embedded PGlite) every call asks the database, in one read. Changes made in
 * this process drop what is held at once.
 */
@Injectable()
export class DirectoryCheck implements CallerDirectory, OnModuleDestroy {
  private readonly held = new TtlCache<Standing>(CONFIRMED_WITHIN_MS, HELD_ENTRIES);
  /** Announcements heard per tenant, and for all tenants at once. */
  private readonly changesByTenant = new Map<string, number>();
  private everywhere = 0;
  /** Reads in flight by key: callers arriving meanwhile share one read instead of each asking. */
  private readonly reading = new Map<string, { readonly changes: number; readonly standing: Promise<Standing> }>();
  private readonly feed: ChangeFeed;

  constructor(
    dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly directory: ScimDirectoryRepository,
    events: InvalidationEvents,
  ) {
    // Payload: the tenant whose directory changed.
    this.feed = new ChangeFeed(
      (handlers) => listenOnChannel(dataSource, DIRECTORY_CHANGE_CHANNEL, handlers),
      (tenantId) => (isUuid(tenantId) ? this.changed(tenantId.toLowerCase()) : this.everywhere++),
      undefined,
      'directory changes',
    );
    events.onDirectoryChanged((tenantId) => this.changed(tenantId));
    // Settings (a membership rule) and deletions of workspaces; rare, so everything held goes.
    events.onWorkspaceChanged(() => this.everywhere++);
    events.onTokenRevoked(() => this.everywhere++);
    events.onGrantRevoked(() => this.everywhere++);
  }

  /** Whether the feed is listening now (for tests and diagnostics). */
  get listening(): boolean {
    return this.feed.live;
  }

  /** Announcements heard so far (tests wait on this instead of sleeping). */
  get announcementsHeard(): number {
    return this.feed.heard;
  }

  async onModuleDestroy(): Promise<void> {
    await this.feed.stop();
  }

  /** The principal as the directory admits it now, or null when it no longer does. */
  check(principal: Principal, workspace: WorkspaceContext): MaybePromise<Principal | null> {
    this.feed.ensureStarted();
    // An OAuth user's answer depends on the kind of client too (the workspace's client policy).
    const key = `${workspace.workspaceId} ${principal.kind} ${principal.kind === 'user' ? principal.subject : principal.credentialId} ${principal.clientKind ?? ''}`;
    const held = this.held.get(key);
    if (held && this.stillConfirmed(held, workspace.tenantId)) return withGroups(principal, held.groups);
    const inFlight = this.reading.get(key);
    if (!inFlight || inFlight.changes !== this.changesOf(workspace.tenantId)) return this.readAndHold(key, principal, workspace);
    // Started under the same announcements as this call: as good as a read of its own.
    return inFlight.standing.then((standing) => withGroups(principal, standing.groups));
  }

  private readAndHold(key: string, principal: Principal, workspace: WorkspaceContext): Promise<Principal | null> {
    const epoch = this.feed.epoch;
    const changes = this.changesOf(workspace.tenantId);
    const confirmedAt = Date.now();
    const reading = { changes, standing: this.read(principal, workspace).then((groups): Standing => ({ groups, confirmedAt, epoch, changes })) };
    this.reading.set(key, reading);
    const forget = () => {
      if (this.reading.get(key) === reading) this.reading.delete(key);
    };
    return reading.standing.then(
      (standing) => {
        forget();
        if (this.feed.live && this.feed.epoch === epoch) this.held.set(key, standing);
        return withGroups(principal, standing.groups);
      },
      (error: unknown) => {
        forget();
        throw error;
      },
    );
  }

  private stillConfirmed(held: Standing, tenantId: string): boolean {
    return this.feed.live && held.epoch === this.feed.epoch && Date.now() - held.confirmedAt < CONFIRMED_WITHIN_MS && held.changes === this.changesOf(tenantId);
  }

  private async read(principal: Principal, workspace: WorkspaceContext): Promise<readonly string[] | null> {
    if (principal.kind === 'user') {
      if (!isUuid(principal.subject)) return null;
      const member = await this.users.memberStanding(workspace.workspaceId, principal.subject.toLowerCase());
      if (!member) return null;
      return principal.clientKind && !clientAdmitted(principal.clientKind, workspace, member.settings) ? null : member.groups;
    }
    const standing = await this.directory.subjectStanding(workspace.tenantId, principal.subject, principal.groups);
    if (!standing) return principal.groups;
    if (!standing.active) return null;
    return principal.groups.filter((g) => !standing.lapsedGroups.includes(g));
  }

  private changed(tenantId: string): void {
    this.changesByTenant.set(tenantId, (this.changesByTenant.get(tenantId) ?? 0) + 1);
  }

  private changesOf(tenantId: string): number {
    return (this.changesByTenant.get(tenantId) ?? 0) + this.everywhere;
  }
}

/** The workspace's client policy as stored now (settings changes are announced like the directory's). */
function clientAdmitted(kind: ClientKind, workspace: WorkspaceContext, settings: object): boolean {
  // A pre-registered client's token was issued for this workspace only (its audience and workspace_id).
  return clientKindRefusal(kind, workspace.workspaceId, { workspaceId: workspace.workspaceId, settings }) === undefined;
}

function withGroups(principal: Principal, groups: readonly string[] | null): Principal | null {
  if (groups === null) return null;
  return sameGroups(principal.groups, groups) ? principal : { ...principal, groups };
}

function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((g, i) => g === b[i]);
}

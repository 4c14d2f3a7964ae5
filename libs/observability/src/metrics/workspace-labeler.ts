import { WORKSPACE_LABEL_VALUE, type WorkspaceLabelMode } from '../config/observability-config';

/**
 * Maps a workspace to its `workspace` label value with bounded cardinality:
 * - off (default): every workspace is "all";
 * - list:a,b: the listed workspaces keep their own label, every other one is "other";
 * - top:N: the first N distinct workspaces this process sees keep their own label, later ones are "other"
 *   (per process: replicas may pick different ones — use list: for a stable set).
 *
 * Pass only a workspace that was resolved (its id or "tenant/workspace" slugs, matching what the list
 * names) — never a slug taken from an unresolved URL, which would let anyone fill the N slots.
 */
export class WorkspaceLabeler {
  static readonly ALL = 'all';
  static readonly OTHER = 'other';
  static readonly NONE = 'none';

  private readonly known = new Set<string>();
  private readonly open: boolean;
  private readonly limit: number;

  constructor(readonly mode: WorkspaceLabelMode = { kind: 'off' }) {
    if (mode.kind === 'list') for (const key of mode.keys) this.known.add(key);
    this.open = mode.kind === 'top';
    this.limit = mode.kind === 'top' ? mode.limit : this.known.size;
  }

  label(workspace: string | undefined): string {
    if (this.mode.kind === 'off') return WorkspaceLabeler.ALL;
    if (workspace === undefined || workspace === '') return WorkspaceLabeler.NONE;
    if (this.known.has(workspace)) return workspace;
    if (!this.open || this.known.size >= this.limit || !WORKSPACE_LABEL_VALUE.test(workspace)) return WorkspaceLabeler.OTHER;
    this.known.add(workspace);
    return workspace;
  }

  /** How many workspaces have their own label now (at most N, or the list's length). */
  get labelled(): number {
    return this.known.size;
  }
}

/**
 * A free-form label (a guard rule, an OAuth error code) limited to a fixed allow-list or to the first
 * `max` well-formed values; the rest are "other".
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    allowed: readonly string[] = [],
    private readonly closed = allowed.length > 0,
    private readonly pattern = /^[a-z0-9][a-z0-9_:.\-/]{0,63}$/,
  ) {
    for (const value of allowed) this.seen.add(value);
  }

  value(raw: string | undefined): string {
    if (raw === undefined || raw === '') return 'none';
    if (this.seen.has(raw)) return raw;
    if (this.closed || this.seen.size >= this.max || !this.pattern.test(raw)) return 'other';
    this.seen.add(raw);
    return raw;
  }
}

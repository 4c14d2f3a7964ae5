import { badRequest, FakeError, indexNotFound } from './fake-errors';
import { FakeIndex, type IndexBody } from './fake-index';

type AliasAction = Record<string, { index?: string; alias?: string; is_write_index?: boolean; must_exist?: boolean }>;

const INVALID_INDEX_NAME = /[\\/*?"<>| ,#:A-Z]|^[-_+.]/;

/**
 * Cluster metadata: concrete indices and the aliases pointing at them, with OpenSearch's rules for
 * names, alias resolution, write targets and atomic `_aliases` updates.
 */
export class FakeCluster {
  readonly indices = new Map<string, FakeIndex>();
  /** alias → the indices it points at. */
  readonly aliases = new Map<string, Set<string>>();
  health: 'green' | 'yellow' | 'red' = 'green';

  createIndex(name: string, body: IndexBody & { aliases?: Record<string, object> }): Record<string, unknown> {
    if (INVALID_INDEX_NAME.test(name)) throw badRequest(`Invalid index name [${name}], must be lowercase and not contain special characters`, 'invalid_index_name_exception');
    if (this.indices.has(name)) {
      throw new FakeError(400, 'resource_already_exists_exception', `index [${name}/fakeuuid] already exists`, { index: name });
    }
    if (this.aliases.has(name)) throw badRequest(`Invalid index name [${name}], already exists as alias`, 'invalid_index_name_exception');
    const { aliases, ...definition } = body;
    const index = new FakeIndex(name, definition);
    for (const alias of Object.keys(aliases ?? {})) this.checkAliasName(alias);
    this.indices.set(name, index);
    for (const alias of Object.keys(aliases ?? {})) this.addAlias(name, alias);
    return { acknowledged: true, shards_acknowledged: true, index: name };
  }

  deleteIndices(names: readonly string[], ignoreUnavailable: boolean): Record<string, unknown> {
    for (const name of names) {
      if (this.aliases.has(name)) {
        throw badRequest(`The provided expression [${name}] matches an alias, specify the corresponding concrete indices instead.`, 'illegal_argument_exception');
      }
      if (!this.indices.has(name) && !ignoreUnavailable) throw indexNotFound(name);
    }
    for (const name of names) this.dropIndex(name);
    return { acknowledged: true };
  }

  /** GET _alias/<name>: `{ "<index>": { "aliases": { "<name>": {} } } }`; a missing alias is a bare-string 404. */
  getAlias(name: string): Record<string, unknown> {
    const targets = this.aliases.get(name);
    if (!targets) throw new FakeError(404, 'alias_missing', name, {}, { error: `alias [${name}] missing`, status: 404 });
    return Object.fromEntries([...targets].map((index) => [index, { aliases: { [name]: {} } }]));
  }

  putAlias(index: string, alias: string): Record<string, unknown> {
    if (!this.indices.has(index)) throw indexNotFound(index);
    this.checkAliasName(alias);
    this.addAlias(index, alias);
    return { acknowledged: true };
  }

  /** POST _aliases: every action is checked first, then all are applied — atomically, as in OpenSearch. */
  updateAliases(actions: readonly AliasAction[]): Record<string, unknown> {
    const planned: Array<() => void> = [];
    for (const action of actions) {
      const [kind, spec] = Object.entries(action)[0] ?? [];
      if (!kind || !spec) throw badRequest('[aliases] malformed action');
      const index = spec.index ?? '';
      if (kind === 'add') {
        if (!this.indices.has(index)) throw indexNotFound(index);
        this.checkAliasName(spec.alias ?? '');
        planned.push(() => this.addAlias(index, spec.alias!));
      } else if (kind === 'remove') {
        if (!this.indices.has(index)) throw indexNotFound(index);
        if (!this.aliases.get(spec.alias ?? '')?.has(index) && spec.must_exist !== false) {
          throw new FakeError(404, 'aliases_not_found_exception', `aliases [${spec.alias}] missing`);
        }
        planned.push(() => this.removeAlias(index, spec.alias!));
      } else if (kind === 'remove_index') {
        if (!this.indices.has(index)) throw indexNotFound(index);
        planned.push(() => this.dropIndex(index));
      } else {
        throw badRequest(`[aliases] unknown action [${kind}]`);
      }
    }
    for (const apply of planned) apply();
    return { acknowledged: true };
  }

  /** PUT <index>/_settings; only `index.blocks.write` changes behaviour, the rest is accepted. */
  putSettings(names: readonly string[], body: Record<string, unknown>): Record<string, unknown> {
    const indices = names.flatMap((name) => this.resolve(name));
    const nested = (body.index as { blocks?: { write?: unknown } } | undefined)?.blocks?.write;
    const flat = body['index.blocks.write'];
    const write = nested ?? flat;
    if (write !== undefined) for (const index of indices) index.writeBlocked = write === true || write === 'true';
    return { acknowledged: true };
  }

  /** The concrete indices a name (index or alias) stands for. */
  resolve(name: string): FakeIndex[] {
    const index = this.indices.get(name);
    if (index) return [index];
    const targets = this.aliases.get(name);
    if (!targets) throw indexNotFound(name);
    return [...targets].map((target) => this.indices.get(target)!);
  }

  /** Where a write to `name` goes. An alias must point at exactly one index (no is_write_index support). */
  writeTarget(name: string, requireAlias: boolean): FakeIndex | undefined {
    if (requireAlias && !this.aliases.has(name)) {
      throw new FakeError(404, 'index_not_found_exception', `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`, { index: name });
    }
    const targets = this.aliases.get(name);
    if (targets) {
      if (targets.size !== 1) {
        throw badRequest(`no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`, 'illegal_argument_exception');
      }
      return this.indices.get([...targets][0]!);
    }
    return this.indices.get(name);
  }

  private checkAliasName(alias: string): void {
    if (this.indices.has(alias)) throw badRequest(`Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`, 'invalid_alias_name_exception');
  }

  private addAlias(index: string, alias: string): void {
    const targets = this.aliases.get(alias) ?? new Set<string>();
    targets.add(index);
    this.aliases.set(alias, targets);
  }

  private removeAlias(index: string, alias: string): void {
    const targets = this.aliases.get(alias);
    targets?.delete(index);
    if (targets?.size === 0) this.aliases.delete(alias);
  }

  private dropIndex(name: string): void {
    this.indices.delete(name);
    for (const alias of [...this.aliases.keys()]) this.removeAlias(name, alias);
  }
}

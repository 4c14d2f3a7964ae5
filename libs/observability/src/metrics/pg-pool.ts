/** What the pool gauges read from a `pg` Pool (node-postgres exposes exactly these). */
export interface PgPoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options?: { readonly max?: number };
}

export function isPgPool(value: unknown): value is PgPoolLike {
  const pool = value as Partial<PgPoolLike> | null | undefined;
  return (
    typeof pool === 'object' &&
    pool !== null &&
    typeof pool.totalCount === 'number' &&
    typeof pool.idleCount === 'number' &&
    typeof pool.waitingCount === 'number'
  );
}

/** The pg Pool behind a TypeORM postgres DataSource (its driver's `master`), if there is one. */
export function pgPoolOf(dataSource: { readonly driver: unknown } | undefined): PgPoolLike | undefined {
  const master = (dataSource?.driver as { master?: unknown } | undefined)?.master;
  return isPgPool(master) ? master : undefined;
}

/** TypeORM answers UPDATE and DELETE with `[rows, affected]` on PostgreSQL, SELECT and INSERT with the rows. */
export function rowsOf<T = unknown>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

import { InitialSchema1764259200000 } from './1764259200000-initial-schema';

/** Every migration, in order. Migrations are never edited after they land. */
export const MIGRATIONS = [InitialSchema1764259200000];

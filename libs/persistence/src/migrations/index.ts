import { InitialSchema1764259200000 } from './1764259200000-initial-schema';
import { OauthStorage1764345600000 } from './1764345600000-oauth-storage';

/** Every migration, in order. Migrations are never edited after they land. */
export const MIGRATIONS = [InitialSchema1764259200000, OauthStorage1764345600000];

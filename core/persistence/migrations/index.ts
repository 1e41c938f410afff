import { InitialSchema1763900000000 } from './1763900000000-InitialSchema';

/** Every migration, oldest first. A new migration is a new file and one line here. */
export const MIGRATIONS = [InitialSchema1763900000000];

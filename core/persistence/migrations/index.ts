import { InitialSchema1763900000000 } from './1763900000000-InitialSchema';
import { IdempotencyRecords1763900100000 } from './1763900100000-IdempotencyRecords';

/** Every migration, oldest first. A new migration is a new file and one line here. */
export const MIGRATIONS = [InitialSchema1763900000000, IdempotencyRecords1763900100000];

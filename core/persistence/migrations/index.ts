import { InitialSchema1763900000000 } from './1763900000000-InitialSchema';
import { IdempotencyRecords1763900100000 } from './1763900100000-IdempotencyRecords';
import { FilterIndexes1763900200000 } from './1763900200000-FilterIndexes';
import { ScalePlans1763900300000 } from './1763900300000-ScalePlans';
import { LeanWriteIndexes1763900400000 } from './1763900400000-LeanWriteIndexes';
import { LiveCustomerCounts1763900500000 } from './1763900500000-LiveCustomerCounts';
import { IntegratorId1763900600000 } from './1763900600000-IntegratorId';
import { MasterKeysAndSandbox1763900710000 } from './1763900710000-MasterKeysAndSandbox';
import { KeptIds1763901600000 } from './1763901600000-KeptIds';

/** Every migration, oldest first. A new migration is a new file and one line here. */
export const MIGRATIONS = [InitialSchema1763900000000, IdempotencyRecords1763900100000, FilterIndexes1763900200000, ScalePlans1763900300000, LeanWriteIndexes1763900400000,
  LiveCustomerCounts1763900500000, IntegratorId1763900600000,
  MasterKeysAndSandbox1763900710000,
  KeptIds1763901600000,
];

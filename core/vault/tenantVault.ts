/**
 * Opens reads and writes on one tenant's records. A write is one transaction that ends with its
 * audit event; a failed write rolls back and leaves a failure event instead.
 */
import { recordAudit } from '../audit';
import { DatabaseUnavailableError } from '../errors';
import { afterIdempotentCommit, claimIdempotencyRecord } from '../idempotencyFence';
import type { Keyring } from '../crypto/keyring';
import type { Tenant } from '../model';
import type { Store } from '../persistence/store';
import type { RequestContext, TenantVault, VaultSession } from './commands';
import { TypeormVaultSession } from './session';

export class Vault {
  constructor(
    readonly store: Store,
    readonly keyring: Keyring,
    readonly now: () => number = Date.now,
  ) {}

  forTenant(tenant: Tenant, audit: RequestContext): TenantVault {
    const { store, keyring, now } = this;
    // One clock reading per request: every row a request writes carries the same time (FluidPay:
    // `updated_at` equals `created_at` on create; ids made in one request share their time part).
    const open = async (manager: Parameters<Parameters<Store['read']>[0]>[0], touched: Set<string>): Promise<VaultSession> => {
      const at = now();
      return new TypeormVaultSession({
        manager,
        tenant,
        keyring,
        keys: await keyring.keysFor(manager, tenant.id, at),
        now: () => at,
        rowLocks: store.supportsRowLocks,
        dialectKind: store.kind,
        touched,
      });
    };
    return {
      tenant,
      read: (work) => store.read(async (manager) => work(await open(manager, new Set())), audit.deadline),
      write: async (operation, work) => {
        try {
          // The store may run this more than once (transient failures): nothing may carry over between tries.
          const result = await store.transaction(async (manager) => {
            await claimIdempotencyRecord(manager, audit.idempotencyFence);
            const touched = new Set<string>();
            const result = await work(await open(manager, touched));
            await recordAudit(manager, { tenantId: tenant.id, actorKeyId: audit.actorKeyId, dialect: audit.dialect, operation, targetIds: [...touched], outcome: 'success', requestId: audit.requestId }, now());
            return result;
          }, audit.deadline);
          afterIdempotentCommit(audit.idempotencyFence);
          return result;
        } catch (error) {
          // A database that does not answer would not take the failure event either (and waiting
          // for it again would double the time to answer).
          if (error instanceof DatabaseUnavailableError) throw error;
          await store
            .transaction((manager) =>
              recordAudit(manager, { tenantId: tenant.id, actorKeyId: audit.actorKeyId, dialect: audit.dialect, operation, targetIds: [], outcome: 'failure', requestId: audit.requestId }, now()),
            )
            .catch(() => undefined);
          throw error;
        }
      },
    };
  }
}

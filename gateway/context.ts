/**
 * Everything a running gateway (or a CLI command) needs, built once from the configuration:
 * the store, the keyring, the vault, tenants, credentials and the logger.
 */
import type { Config } from '../config';
import { Keyring } from '../core/crypto/keyring';
import { MasterKeyCheck } from '../core/crypto/masterKeyCheck';
import { masterKeyFromBase64 } from '../core/crypto/masterKey';
import { createLogger, errorFacts, type Logger } from '../core/logger';
import { openStore } from '../core/persistence/dataSource';
import { Store } from '../core/persistence/store';
import { Tenants } from '../core/tenancy/tenants';
import { Vault } from '../core/vault/tenantVault';
import { MigrationJobs } from '../core/migration/jobs';
import { CredentialResolver } from './credentials';

export interface GatewayContext {
  config: Config;
  store: Store;
  keyring: Keyring;
  /** Whether this process holds the master keys the stored tenant keys need (start-up, `/readyz`). */
  keyCheck: MasterKeyCheck;
  vault: Vault;
  tenants: Tenants;
  credentials: CredentialResolver;
  logger: Logger;
  /** The clock every component reads; tests may freeze it. */
  clock: { now(): number; frozen: number | null };
  /** Admin-API imports and exports running in this process. */
  migrationJobs: MigrationJobs;
  close(): Promise<void>;
}

/**
 * `backgroundCheckpoints`: SQLite WAL checkpoints on a worker thread (core/persistence/checkpointer),
 * for a long-running gateway; a one-shot CLI command keeps SQLite's own checkpoints.
 */
export async function createContext(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel }),
  options: { backgroundCheckpoints?: boolean } = {},
): Promise<GatewayContext> {
  const timeoutMs = config.databaseTimeouts.requestMs;
  const store = new Store(await openStore(config.databaseUrl, { timeoutMs }), { backgroundCheckpoints: options.backgroundCheckpoints, onProblem: (message) => logger.warn(message), timeoutMs });
  // Own key first: new wraps use it until `keys rotate-master` records another one this process holds.
  const masterKeys = [config.masterKey.base64, ...(config.nextMasterKey ? [config.nextMasterKey] : []), ...config.previousMasterKeys];
  const keyring = new Keyring(masterKeys.map(masterKeyFromBase64));
  const clock = {
    frozen: null as number | null,
    now(): number {
      return this.frozen ?? Date.now();
    },
  };
  const now = () => clock.now();
  const vault = new Vault(store, keyring, now);
  return {
    config,
    store,
    keyring,
    keyCheck: new MasterKeyCheck(store, keyring, now, (problem) => logger.error(`master keys: ${problem}`)),
    vault,
    tenants: new Tenants(store, keyring, now),
    credentials: new CredentialResolver(store, now),
    logger,
    clock,
    migrationJobs: new MigrationJobs(vault, config.migrationDir, (job, error) => logger.error({ job, error: errorFacts(error) }, 'migration job failed')),
    close: () => store.close(),
  };
}

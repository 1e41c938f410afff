/**
 * Key rotation without touching card rows more than needed:
 * - master key: record the new master key as the one new wraps use, then re-wrap every tenant key
 *   under it (card ciphertexts untouched);
 * - tenant data key: start a new version for new writes; old rows stay readable, and `reencrypt`
 *   moves them to the new version in small batches. Each batch is its own transaction and only
 *   rows still on an old version are selected, so an interrupted run is resumed by running it again.
 */
import { LessThan, Not, IsNull } from 'typeorm';
import { PaymentMethodEntity, TenantKeyEntity } from '../persistence/entities';
import type { Store } from '../persistence/store';
import type { Keyring } from './keyring';
import type { MasterKey } from './masterKey';
import { recordWrappingKeyId } from './wrappingKey';

/** Passes over `tenant_key` before giving up on rows still being wrapped with another key. */
const REWRAP_PASSES = 5;

/**
 * Step 2 of a master-key rotation (docs/security.md). First records `next` as the key new wraps use,
 * in its own transaction, so every gateway that holds it wraps with it from then on; then re-wraps
 * every stored key not yet under it. A gateway that read the old record just before may still commit
 * a key wrapped with the old one, so passes repeat until one finds nothing left. Running it again
 * with the same key re-wraps only stragglers (0 when done).
 */
export async function rotateMasterKey(store: Store, keyring: Keyring, next: MasterKey, now: number = Date.now()): Promise<{ rewrapped: number; remaining: number }> {
  keyring.addMasterKey(next);
  await store.transaction((manager) => recordWrappingKeyId(manager, next.id, now));
  let rewrapped = 0;
  for (let pass = 0; pass < REWRAP_PASSES; pass++) {
    const done = await store.transaction(async (manager) => {
      const rows = await manager.find(TenantKeyEntity, { where: { masterKeyId: Not(next.id) } });
      for (const row of rows) await manager.save(TenantKeyEntity, keyring.rewrap(row, next));
      return rows.length;
    });
    rewrapped += done;
    if (done === 0) return { rewrapped, remaining: 0 };
  }
  const remaining = await store.read((manager) => manager.count(TenantKeyEntity, { where: { masterKeyId: Not(next.id) } }));
  return { rewrapped, remaining };
}

export async function startTenantKeyVersion(store: Store, keyring: Keyring, tenantId: string, now: number): Promise<number> {
  const version = await store.transaction(async (manager) => {
    const current = await manager.maximum(TenantKeyEntity, 'version', { tenantId, purpose: 'data' });
    if (current === null) throw new Error(`tenant ${tenantId} has no data key`);
    const next = Number(current) + 1;
    await manager.insert(TenantKeyEntity, keyring.wrapNew(await keyring.wrappingMaster(manager), tenantId, 'data', next, now));
    return next;
  });
  keyring.invalidate(tenantId);
  return version;
}

export interface ReencryptOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called after each committed batch (tests use it to simulate a crash part-way). */
  afterBatch?: (done: number) => void | Promise<void>;
}

export async function countStale(store: Store, keyring: Keyring, tenantId: string): Promise<{ stale: number; version: number }> {
  return store.read(async (manager) => {
    keyring.invalidate(tenantId);
    const keys = await keyring.keysFor(manager, tenantId);
    const stale = await manager.count(PaymentMethodEntity, { where: { tenantId, keyVersion: LessThan(keys.currentDataVersion), secret: Not(IsNull()) } });
    return { stale, version: keys.currentDataVersion };
  });
}

export async function reencryptTenant(store: Store, keyring: Keyring, tenantId: string, options: ReencryptOptions = {}): Promise<{ moved: number; version: number }> {
  const batchSize = options.batchSize ?? 500;
  const { stale: total, version } = await countStale(store, keyring, tenantId);
  let done = 0;
  options.onProgress?.(done, total);
  for (;;) {
    const moved = await store.transaction(async (manager) => {
      const keys = await keyring.keysFor(manager, tenantId);
      const rows = await manager.find(PaymentMethodEntity, {
        select: { seq: true, secret: true, keyVersion: true },
        where: { tenantId, keyVersion: LessThan(version), secret: Not(IsNull()) },
        order: { seq: 'ASC' },
        take: batchSize,
      });
      for (const row of rows) {
        const plain = keyring.decryptSecret(keys, row.secret!);
        const sealed = keyring.encryptSecret(keys, plain);
        // Only if the row is still the one we read: a concurrent delete or re-encryption wins.
        await manager.update(PaymentMethodEntity, { seq: row.seq, keyVersion: row.keyVersion! }, sealed);
      }
      return rows.length;
    });
    if (moved === 0) break;
    done += moved;
    options.onProgress?.(Math.min(done, total), total);
    await options.afterBatch?.(done);
  }
  return { moved: done, version };
}

/**
 * Key rotation without touching card rows more than needed:
 * - master key: re-wrap every tenant key under the new master key (card ciphertexts untouched);
 * - tenant data key: start a new version for new writes; old rows stay readable, and `reencrypt`
 *   moves them to the new version in small batches. Each batch is its own transaction and only
 *   rows still on an old version are selected, so an interrupted run is resumed by running it again.
 */
import { LessThan, Not, IsNull } from 'typeorm';
import { PaymentMethodEntity, TenantKeyEntity } from '../persistence/entities';
import type { Store } from '../persistence/store';
import type { Keyring } from './keyring';
import type { MasterKey } from './masterKey';

export async function rotateMasterKey(store: Store, keyring: Keyring, next: MasterKey): Promise<{ rewrapped: number }> {
  keyring.addMasterKey(next, true);
  return store.transaction(async (manager) => {
    const rows = await manager.find(TenantKeyEntity, { where: { masterKeyId: Not(next.id) } });
    for (const row of rows) await manager.save(TenantKeyEntity, keyring.rewrap(row));
    return { rewrapped: rows.length };
  });
}

export async function startTenantKeyVersion(store: Store, keyring: Keyring, tenantId: string, now: number): Promise<number> {
  const version = await store.transaction(async (manager) => {
    const current = await manager.maximum(TenantKeyEntity, 'version', { tenantId, purpose: 'data' });
    if (current === null) throw new Error(`tenant ${tenantId} has no data key`);
    const next = Number(current) + 1;
    await manager.insert(TenantKeyEntity, keyring.wrapNew(tenantId, 'data', next, now));
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

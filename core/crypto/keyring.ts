/**
 * Per-tenant keys: a versioned data key for PANs and account numbers, a fingerprint key (HMAC of
 * card numbers for duplicate checks) and an address key (FluidPay address hash). Each is a random
 * 32-byte key wrapped by the master key. Unwrapped keys are cached per process, so a request never
 * unwraps a key; the cache is refreshed when a newer data-key version appears (tenant rotation).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { newUuid } from '../ids';
import { TenantKeyEntity } from '../persistence/entities';
import { open, seal } from './aead';
import type { MasterKey } from './masterKey';
import { readWrappingKeyId } from './wrappingKey';

export type KeyPurpose = 'data' | 'fingerprint' | 'address';

export interface TenantKeys {
  tenantId: string;
  /** When the key rows were last read (a newer data-key version written by another process is seen after KEY_REFRESH_MS). */
  loadedAt: number;
  currentDataVersion: number;
  dataKeys: Map<number, Buffer>;
  fingerprintKey: Buffer;
  addressKey: Buffer;
}

/** How long a process trusts its cached key set before looking for a newer data-key version. */
export const KEY_REFRESH_MS = 5000;

const wrapContext = (tenantId: string, purpose: string, version: number) => `polyvault:key:${tenantId}:${purpose}:${version}`;
const secretContext = (tenantId: string, version: number) => `polyvault:secret:${tenantId}:${version}`;

export class Keyring {
  private readonly cache = new Map<string, TenantKeys>();
  /** Unwrapped keys by key-row id: a refresh unwraps only rows it has not seen. */
  private readonly unwrapped = new Map<string, Buffer>();

  constructor(private masterKeys: MasterKey[]) {
    if (masterKeys.length === 0) throw new Error('a master key is required');
  }

  /** This process's own master key (POLYVAULT_MASTER_KEY): new wraps use it until a rotation records another. */
  get currentMaster(): MasterKey {
    return this.masterKeys[0];
  }

  /** Ids of every master key this process holds (current, next and previous). */
  get masterKeyIds(): string[] {
    return this.masterKeys.map((k) => k.id);
  }

  holds(masterKeyId: string): boolean {
    return this.masterKeys.some((k) => k.id === masterKeyId);
  }

  /**
   * The master key a new wrap uses: the one `keys rotate-master` recorded, if this process holds it;
   * else its own. (A process lacking the recorded key was skipped in step 1 of the rotation; its
   * wraps stay readable by every process that still holds the old key, and the next
   * `keys rotate-master` run re-wraps them.)
   */
  async wrappingMaster(manager: EntityManager): Promise<MasterKey> {
    const recorded = await readWrappingKeyId(manager);
    return this.masterKeys.find((k) => k.id === recorded) ?? this.currentMaster;
  }

  /** Creates version 1 of every key purpose for a new tenant (inside the tenant's creation transaction). */
  async provisionTenant(manager: EntityManager, tenantId: string, now: number): Promise<void> {
    const master = await this.wrappingMaster(manager);
    for (const purpose of ['data', 'fingerprint', 'address'] as const) {
      await manager.insert(TenantKeyEntity, this.wrapNew(master, tenantId, purpose, 1, now));
    }
  }

  wrapNew(master: MasterKey, tenantId: string, purpose: KeyPurpose, version: number, now: number): TenantKeyEntity {
    return Object.assign(new TenantKeyEntity(), {
      id: newUuid(),
      tenantId,
      purpose,
      version,
      wrappedKey: seal(master.key, randomBytes(32), wrapContext(tenantId, purpose, version)),
      masterKeyId: master.id,
      createdAt: now,
    });
  }

  unwrap(row: TenantKeyEntity): Buffer {
    const master = this.masterKeys.find((candidate) => candidate.id === row.masterKeyId);
    if (!master) throw new Error(`tenant key ${row.id} is wrapped by master key ${row.masterKeyId}, which this process does not have`);
    return open(master.key, row.wrappedKey, wrapContext(row.tenantId, row.purpose, row.version));
  }

  /** Re-wraps one stored key under `master` (master-key rotation; card rows untouched). */
  rewrap(row: TenantKeyEntity, master: MasterKey): TenantKeyEntity {
    const plain = this.unwrap(row);
    return Object.assign(new TenantKeyEntity(), row, {
      wrappedKey: seal(master.key, plain, wrapContext(row.tenantId, row.purpose, row.version)),
      masterKeyId: master.id,
    });
  }

  async keysFor(manager: EntityManager, tenantId: string, now: number = Date.now()): Promise<TenantKeys> {
    const cached = this.cache.get(tenantId);
    if (cached && now - cached.loadedAt < KEY_REFRESH_MS) return cached;
    const rows = await manager.find(TenantKeyEntity, { where: { tenantId } });
    if (rows.length === 0) throw new Error(`tenant ${tenantId} has no keys`);
    const dataKeys = new Map<number, Buffer>();
    let fingerprintKey: Buffer | undefined;
    let addressKey: Buffer | undefined;
    for (const row of rows) {
      let key = this.unwrapped.get(row.id);
      if (!key) {
        key = this.unwrap(row);
        this.unwrapped.set(row.id, key);
      }
      if (row.purpose === 'data') dataKeys.set(row.version, key);
      if (row.purpose === 'fingerprint') fingerprintKey = key;
      if (row.purpose === 'address') addressKey = key;
    }
    if (!fingerprintKey || !addressKey) throw new Error(`tenant ${tenantId} is missing keys`);
    const keys: TenantKeys = { tenantId, loadedAt: now, currentDataVersion: Math.max(...dataKeys.keys()), dataKeys, fingerprintKey, addressKey };
    this.cache.set(tenantId, keys);
    return keys;
  }

  /** Forget cached keys (after a rotation in this process). */
  invalidate(tenantId?: string): void {
    if (tenantId) this.cache.delete(tenantId);
    else this.cache.clear();
  }

  /** Accept one more master key for unwrapping (the new key during a master-key rotation). */
  addMasterKey(master: MasterKey): void {
    if (!this.holds(master.id)) this.masterKeys = [...this.masterKeys, master];
  }

  encryptSecret(keys: TenantKeys, plaintext: string): { secret: string; keyVersion: number } {
    const version = keys.currentDataVersion;
    const key = keys.dataKeys.get(version)!;
    return { secret: `k${version}:${seal(key, Buffer.from(plaintext, 'utf8'), secretContext(keys.tenantId, version))}`, keyVersion: version };
  }

  decryptSecret(keys: TenantKeys, secret: string): string {
    const match = /^k(\d+):(.+)$/.exec(secret);
    if (!match) throw new Error('unrecognised ciphertext');
    const version = Number(match[1]);
    const key = keys.dataKeys.get(version);
    if (!key) throw new Error(`data key version ${version} is not available`);
    return open(key, match[2], secretContext(keys.tenantId, version)).toString('utf8');
  }

  fingerprint(keys: TenantKeys, value: string): string {
    return createHmac('sha256', keys.fingerprintKey).update(value, 'utf8').digest('hex');
  }

  addressHash(keys: TenantKeys, normalised: string): string {
    return createHmac('sha256', keys.addressKey).update(normalised, 'utf8').digest('base64');
  }
}

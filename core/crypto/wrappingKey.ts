/**
 * Which master key new wraps use, recorded in the database by `keys rotate-master`. Every process
 * reads it when it wraps a key, so gateways that were given the new key (POLYVAULT_NEXT_MASTER_KEY)
 * start wrapping with it the moment the rotation begins, without a restart, and a gateway never
 * wraps with a key the others were not given (before the rotation the record names the old key, or
 * there is none and each process uses its own POLYVAULT_MASTER_KEY, which is the same everywhere).
 */
import type { EntityManager } from 'typeorm';
import { VaultSettingEntity } from '../persistence/entities';

const WRAPPING_KEY = 'master_key.wrapping';

export async function readWrappingKeyId(manager: EntityManager): Promise<string | null> {
  const row = await manager.findOne(VaultSettingEntity, { where: { name: WRAPPING_KEY } });
  return row?.value ?? null;
}

export async function recordWrappingKeyId(manager: EntityManager, masterKeyId: string, now: number): Promise<void> {
  await manager.save(VaultSettingEntity, Object.assign(new VaultSettingEntity(), { name: WRAPPING_KEY, value: masterKeyId, updatedAt: now }));
}

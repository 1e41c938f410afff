/**
 * API keys are random strings shown once; only their SHA-256 is stored (they carry 190 bits of
 * entropy, so a slow hash adds nothing). Look-up is by the hash's unique index, which is also a
 * constant-time comparison in effect: the secret itself is never compared byte by byte.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { newUuid, randomString } from '../ids';
import type { ApiKeyDialect, ApiKeyInfo, ApiKeyKind } from '../model';
import { ApiKeyEntity } from '../persistence/entities';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function randomKeyMaterial(): string {
  return randomString(32);
}

export function toApiKeyInfo(row: ApiKeyEntity): ApiKeyInfo {
  return {
    id: row.id,
    tenantId: row.tenantId,
    dialect: row.dialect as ApiKeyDialect,
    kind: row.kind as ApiKeyKind,
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    expiresAt: row.expiresAt,
  };
}

export async function storeApiKey(
  manager: EntityManager,
  input: { tenantId: string; dialect: ApiKeyDialect; kind: ApiKeyKind; key: string; expiresAt?: number | null },
  now: number,
): Promise<ApiKeyInfo> {
  const row = Object.assign(new ApiKeyEntity(), {
    id: newUuid(),
    tenantId: input.tenantId,
    dialect: input.dialect,
    kind: input.kind,
    prefix: input.key.slice(0, 8),
    keyHash: hashApiKey(input.key),
    scopes: [],
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
    expiresAt: input.expiresAt ?? null,
  });
  await manager.insert(ApiKeyEntity, row);
  return toApiKeyInfo(row);
}

export async function findApiKeyByHash(manager: EntityManager, keyHash: string): Promise<ApiKeyEntity | null> {
  return manager.findOne(ApiKeyEntity, { where: { keyHash } });
}

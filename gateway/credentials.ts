/**
 * API key → principal, for every dialect. Keys are looked up by their hash; the answer is cached
 * for a few seconds so a request costs no database round trip, and so revoking a key or switching
 * a dialect off reaches every gateway process within CACHE_TTL_MS without a restart.
 */

import type { AuthOutcome } from '../adapters/dialect';
import { findApiKeyByHash, hashApiKey } from '../core/tenancy/apiKeys';
import { toTenant } from '../core/tenancy/tenants';
import type { ApiKeyKind, DialectId } from '../core/model';
import { ApiKeyEntity, TenantEntity } from '../core/persistence/entities';
import type { Store } from '../core/persistence/store';

export const CACHE_TTL_MS = 2000;
const LAST_USED_RESOLUTION_MS = 60_000;

interface CachedKey {
  expires: number;
  row: ApiKeyEntity | null;
  tenant: ReturnType<typeof toTenant> | null;
}

export class CredentialResolver {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(key: string, dialect: DialectId, kind: ApiKeyKind): Promise<AuthOutcome> {
    if (key.length === 0 || key.length > 256) return { ok: false, reason: 'unknown_key' };
    const hash = hashApiKey(key);
    const entry = await this.lookup(hash);
    const { row, tenant } = entry;
    const now = this.now();
    if (!row || !tenant) return { ok: false, reason: 'unknown_key' };
    if (row.revokedAt !== null) return { ok: false, reason: 'revoked' };
    if (row.expiresAt !== null && row.expiresAt <= now) return { ok: false, reason: 'expired' };
    if (row.dialect !== dialect) return { ok: false, reason: 'wrong_dialect' };
    if (row.kind !== kind) return { ok: false, reason: 'wrong_kind' };
    if (tenant.disabled) return { ok: false, reason: 'tenant_disabled' };
    if (!tenant.dialects[dialect]?.enabled) return { ok: false, reason: 'dialect_disabled' };
    if (row.lastUsedAt === null || now - row.lastUsedAt > LAST_USED_RESOLUTION_MS) {
      row.lastUsedAt = now;
      void this.store.read((manager) => manager.update(ApiKeyEntity, { id: row.id }, { lastUsedAt: now })).catch(() => undefined);
    }
    return { ok: true, principal: { tenant, keyId: row.id, dialect, kind } };
  }

  private async lookup(hash: string): Promise<CachedKey> {
    const cached = this.cache.get(hash);
    if (cached && cached.expires > this.now()) return cached;
    const entry = await this.store.read(async (manager) => {
      const row = await findApiKeyByHash(manager, hash);
      const tenantRow = row ? await manager.findOne(TenantEntity, { where: { id: row.tenantId } }) : null;
      return { expires: this.now() + CACHE_TTL_MS, row, tenant: tenantRow ? toTenant(tenantRow) : null };
    });
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, entry);
    return entry;
  }

  /** Drop cached answers (this process made an admin change and wants it seen at once). */
  invalidate(): void {
    this.cache.clear();
  }
}


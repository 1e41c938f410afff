/** Tenants: creation (with their data keys and API keys, in one transaction), look-up, dialect settings. */
import { ConflictError, NotFoundError } from '../errors';
import { newUuid } from '../ids';
import type { Keyring } from '../crypto/keyring';
import type { ApiKeyDialect, ApiKeyInfo, ApiKeyKind, DialectId, DialectSettings, Tenant } from '../model';
import { TenantEntity } from '../persistence/entities';
import type { Store } from '../persistence/store';
import { recordAudit } from '../audit';
import { storeApiKey } from './apiKeys';

export interface NewTenant {
  name: string;
  sandbox: boolean;
  dialects: Partial<Record<DialectId, DialectSettings>>;
  keys: Array<{ dialect: ApiKeyDialect; kind: ApiKeyKind; key: string }>;
}

export function toTenant(row: TenantEntity): Tenant {
  return { id: row.id, name: row.name, disabled: row.disabled, sandbox: row.sandbox, dialects: row.dialects ?? {}, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export class Tenants {
  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: NewTenant, actor: { dialect: 'admin' | 'cli'; actorKeyId: string | null; requestId: string | null }): Promise<{ tenant: Tenant; keys: ApiKeyInfo[] }> {
    return this.store.transaction(async (manager) => {
      if (await manager.count(TenantEntity, { where: { name: input.name } })) throw new ConflictError('duplicate_tenant_name', 'name');
      const now = this.now();
      const row = Object.assign(new TenantEntity(), { id: newUuid(), name: input.name, disabled: false, sandbox: input.sandbox, dialects: input.dialects, createdAt: now, updatedAt: now });
      await manager.save(TenantEntity, row);
      await this.keyring.provisionTenant(manager, row.id, now);
      const keys: ApiKeyInfo[] = [];
      for (const key of input.keys) keys.push(await storeApiKey(manager, { tenantId: row.id, ...key }, now));
      await recordAudit(manager, { tenantId: row.id, actorKeyId: actor.actorKeyId, dialect: actor.dialect, operation: 'tenant.create', targetIds: [row.id], outcome: 'success', requestId: actor.requestId }, now);
      return { tenant: toTenant(row), keys };
    });
  }

  async list(): Promise<Tenant[]> {
    return this.store.read(async (manager) => (await manager.find(TenantEntity, { order: { createdAt: 'ASC' } })).map(toTenant));
  }

  async count(): Promise<number> {
    return this.store.read((manager) => manager.count(TenantEntity));
  }

  async get(idOrName: string): Promise<Tenant> {
    const row = await this.store.read((manager) => manager.findOne(TenantEntity, { where: [{ id: idOrName }, { name: idOrName }] }));
    if (!row) throw new NotFoundError('tenant');
    return toTenant(row);
  }

  /** Replaces one dialect's settings (enable/disable or change a setting), with its audit event. */
  async setDialect(
    tenantId: string,
    dialect: DialectId,
    settings: DialectSettings | null,
    actor: { dialect: 'admin' | 'cli'; actorKeyId: string | null; requestId: string | null } = { dialect: 'cli', actorKeyId: null, requestId: null },
  ): Promise<Tenant> {
    return this.store.transaction(async (manager) => {
      const row = await manager.findOne(TenantEntity, { where: { id: tenantId } });
      if (!row) throw new NotFoundError('tenant');
      const dialects = { ...(row.dialects ?? {}) };
      if (settings === null) delete dialects[dialect];
      else dialects[dialect] = settings;
      row.dialects = dialects;
      row.updatedAt = this.now();
      await manager.save(TenantEntity, row);
      const operation = settings?.enabled ? 'dialect.enable' : 'dialect.disable';
      await recordAudit(manager, { tenantId, actorKeyId: actor.actorKeyId, dialect: actor.dialect, operation: `${operation}:${dialect}`, targetIds: [tenantId], outcome: 'success', requestId: actor.requestId }, this.now());
      return toTenant(row);
    });
  }
}

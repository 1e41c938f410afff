/**
 * The operator's operations, shared by the admin HTTP API and the CLI: tenants, their dialects,
 * API keys, sandbox reset and the audit log. Each change invalidates this process's credential
 * cache at once; other processes see it within the cache lifetime (2 s).
 */
import { dialectById } from '../../adapters/registry';
import { NotFoundError } from '../../core/errors';
import type { ApiKeyInfo, ApiKeyKind, AuditEventInfo, DialectId, Tenant } from '../../core/model';
import { TenantAdministration, type AdminActor, type AuditQuery } from '../../core/tenancy/administration';
import { randomKeyMaterial } from '../../core/tenancy/apiKeys';
import type { GatewayContext } from '../context';
import { describeTenant, provisionTenant, type ProvisionedTenant } from '../provisioning';

/** What an operator is told when production mode refuses to reset a tenant not marked sandbox. */
export const RESET_REFUSED_MESSAGE = 'production mode resets only tenants marked sandbox (tenant create --sandbox, or admin API sandbox: true)';

export interface TenantView {
  id: string;
  name: string;
  disabled: boolean;
  sandbox: boolean;
  dialects: string[];
  settings: Tenant['dialects'];
  createdAt: string;
  updatedAt: string;
  [fact: string]: unknown;
}

export function tenantView(tenant: Tenant): TenantView {
  return {
    id: tenant.id,
    name: tenant.name,
    disabled: tenant.disabled,
    sandbox: tenant.sandbox,
    dialects: Object.entries(tenant.dialects)
      .filter(([, s]) => s?.enabled)
      .map(([id]) => id),
    ...describeTenant(tenant),
    settings: tenant.dialects,
    createdAt: new Date(tenant.createdAt).toISOString(),
    updatedAt: new Date(tenant.updatedAt).toISOString(),
  };
}

export function keyView(key: ApiKeyInfo, now: number = Date.now()) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const status = key.revokedAt !== null ? 'revoked' : key.expiresAt !== null && key.expiresAt <= now ? 'expired' : 'active';
  return { id: key.id, dialect: key.dialect, kind: key.kind, prefix: key.prefix, status, createdAt: iso(key.createdAt), lastUsedAt: iso(key.lastUsedAt), expiresAt: iso(key.expiresAt), revokedAt: iso(key.revokedAt) };
}

export class AdminService {
  private readonly administration: TenantAdministration;

  constructor(private readonly context: GatewayContext) {
    this.administration = new TenantAdministration(context.store, () => context.clock.now());
  }

  private changed<T>(value: T): T {
    this.context.credentials.invalidate();
    return value;
  }

  async createTenant(input: { name: string; dialects: DialectId[]; settings?: Partial<Record<DialectId, Record<string, unknown>>>; sandbox?: boolean }, actor: AdminActor): Promise<ProvisionedTenant> {
    return provisionTenant(this.context, input, actor);
  }

  listTenants(): Promise<Tenant[]> {
    return this.context.tenants.list();
  }

  getTenant(idOrName: string): Promise<Tenant> {
    return this.context.tenants.get(idOrName);
  }

  async updateTenant(idOrName: string, change: { name?: string; disabled?: boolean; sandbox?: boolean }, actor: AdminActor): Promise<Tenant> {
    const tenant = await this.getTenant(idOrName);
    return this.changed(await this.administration.updateTenant(tenant.id, change, actor));
  }

  /**
   * Enables a dialect (creating its settings and keys the first time) or changes its settings.
   * Returns the clear keys issued, if any (shown once).
   */
  async enableDialect(idOrName: string, dialectId: DialectId, requested: Record<string, unknown>, actor: AdminActor): Promise<{ tenant: Tenant; keys: Record<string, string> }> {
    const tenant = await this.getTenant(idOrName);
    const dialect = dialectById(dialectId);
    const existing = tenant.dialects[dialectId];
    const settings = { ...dialect.initialSettings({ ...(existing ?? {}), ...requested }), enabled: true };
    const updated = await this.context.tenants.setDialect(tenant.id, dialectId, settings, actor);
    const keys: Record<string, string> = {};
    const active = (await this.administration.listKeys(tenant.id)).filter((k) => k.dialect === dialectId && k.revokedAt === null);
    for (const spec of dialect.keys) {
      if (active.some((k) => k.kind === spec.kind)) continue;
      const key = spec.format(randomKeyMaterial());
      await this.administration.addKey(tenant.id, { dialect: dialectId, kind: spec.kind, key }, actor);
      keys[spec.label] = key;
    }
    return this.changed({ tenant: updated, keys });
  }

  async disableDialect(idOrName: string, dialectId: DialectId, actor: AdminActor): Promise<Tenant> {
    const tenant = await this.getTenant(idOrName);
    const existing = tenant.dialects[dialectId];
    if (!existing) return tenant;
    return this.changed(await this.context.tenants.setDialect(tenant.id, dialectId, { ...existing, enabled: false }, actor));
  }

  async createKey(idOrName: string, dialectId: DialectId, kind: ApiKeyKind | undefined, actor: AdminActor): Promise<{ key: string; info: ApiKeyInfo }> {
    const tenant = await this.getTenant(idOrName);
    const spec = dialectById(dialectId).keys.find((k) => k.kind === (kind ?? 'secret'));
    if (!spec) throw new NotFoundError('api_key');
    const key = spec.format(randomKeyMaterial());
    const info = await this.administration.addKey(tenant.id, { dialect: dialectId, kind: spec.kind, key }, actor);
    return this.changed({ key, info });
  }

  async listKeys(idOrName: string): Promise<ApiKeyInfo[]> {
    const tenant = await this.getTenant(idOrName);
    return this.administration.listKeys(tenant.id);
  }

  async revokeKey(idOrName: string, keyId: string, actor: AdminActor): Promise<ApiKeyInfo> {
    const tenant = await this.getTenant(idOrName);
    return this.changed(await this.administration.revokeKey(tenant.id, keyId, actor));
  }

  async rotateKey(idOrName: string, keyId: string, overlapSeconds: number, actor: AdminActor): Promise<{ key: string; previous: ApiKeyInfo; next: ApiKeyInfo }> {
    const tenant = await this.getTenant(idOrName);
    const current = (await this.administration.listKeys(tenant.id)).find((k) => k.id === keyId);
    if (!current || current.dialect === 'admin') throw new NotFoundError('api_key');
    const spec = dialectById(current.dialect).keys.find((k) => k.kind === current.kind)!;
    const key = spec.format(randomKeyMaterial());
    const rotated = await this.administration.rotateKey(tenant.id, keyId, key, overlapSeconds * 1000, actor);
    return this.changed({ key, ...rotated });
  }

  /** Callers make sure the operator confirmed (CLI `--yes`, admin API `confirm: true`); production mode resets sandbox tenants only. */
  async resetTenant(idOrName: string, actor: AdminActor) {
    const tenant = await this.getTenant(idOrName);
    return this.administration.resetTenant(tenant.id, actor, { sandboxOnly: this.context.config.mode === 'production' });
  }

  async audit(query: Omit<AuditQuery, 'tenantId'> & { tenant?: string }): Promise<{ items: AuditEventInfo[]; total: number }> {
    const tenantId = query.tenant ? (await this.getTenant(query.tenant)).id : undefined;
    return this.administration.audit({ ...query, tenantId });
  }

}

/**
 * Operator actions on tenants: settings, keys, sandbox reset and the audit log. Every change is one
 * transaction that also appends its audit event.
 */
import { Between, type EntityManager, type FindOptionsWhere, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { recordAudit } from '../audit';
import { ForbiddenError, NotFoundError } from '../errors';
import type { ApiKeyDialect, ApiKeyInfo, ApiKeyKind, AuditEventInfo, Tenant } from '../model';
import { AddressEntity, ApiKeyEntity, AuditEventEntity, CustomerEntity, IdempotencyRecordEntity, PaymentMethodEntity, TenantEntity } from '../persistence/entities';
import { forgetLiveCustomers } from '../persistence/customerCounts';
import type { Store } from '../persistence/store';
import { storeApiKey, toApiKeyInfo } from './apiKeys';
import { toTenant } from './tenants';

/** The ForbiddenError reason of a production-mode reset of a tenant not marked sandbox. */
export const RESET_NOT_SANDBOX = 'reset_not_sandbox';

export interface AdminActor {
  dialect: 'admin' | 'cli';
  actorKeyId: string | null;
  requestId: string | null;
}

export interface AuditQuery {
  tenantId?: string;
  operation?: string;
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

export class TenantAdministration {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  private async audited<T>(actor: AdminActor, operation: string, tenantId: string | null, targets: string[], work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.store.transaction(async (manager) => {
      const result = await work(manager);
      await recordAudit(manager, { tenantId, actorKeyId: actor.actorKeyId, dialect: actor.dialect, operation, targetIds: targets, outcome: 'success', requestId: actor.requestId }, this.now());
      return result;
    });
  }

  async updateTenant(tenantId: string, change: { name?: string; disabled?: boolean; sandbox?: boolean }, actor: AdminActor): Promise<Tenant> {
    return this.audited(actor, change.disabled === true ? 'tenant.disable' : 'tenant.update', tenantId, [tenantId], async (manager) => {
      const row = await manager.findOne(TenantEntity, { where: { id: tenantId } });
      if (!row) throw new NotFoundError('tenant');
      if (change.name !== undefined) row.name = change.name;
      if (change.disabled !== undefined) row.disabled = change.disabled;
      if (change.sandbox !== undefined) row.sandbox = change.sandbox;
      row.updatedAt = this.now();
      await manager.save(TenantEntity, row);
      return toTenant(row);
    });
  }

  async listKeys(tenantId: string): Promise<ApiKeyInfo[]> {
    return this.store.read(async (manager) => (await manager.find(ApiKeyEntity, { where: { tenantId }, order: { createdAt: 'ASC' } })).map(toApiKeyInfo));
  }

  async addKey(tenantId: string, input: { dialect: ApiKeyDialect; kind: ApiKeyKind; key: string; expiresAt?: number | null }, actor: AdminActor): Promise<ApiKeyInfo> {
    return this.audited(actor, 'key.create', tenantId, [], async (manager) => {
      if (!(await manager.count(TenantEntity, { where: { id: tenantId } }))) throw new NotFoundError('tenant');
      return storeApiKey(manager, { tenantId, ...input }, this.now());
    });
  }

  private async keyRow(manager: EntityManager, tenantId: string, keyId: string): Promise<ApiKeyEntity> {
    const row = await manager.findOne(ApiKeyEntity, { where: { id: keyId, tenantId } });
    if (!row) throw new NotFoundError('api_key');
    return row;
  }

  async revokeKey(tenantId: string, keyId: string, actor: AdminActor): Promise<ApiKeyInfo> {
    return this.audited(actor, 'key.revoke', tenantId, [keyId], async (manager) => {
      const row = await this.keyRow(manager, tenantId, keyId);
      row.revokedAt ??= this.now();
      await manager.save(ApiKeyEntity, row);
      return toApiKeyInfo(row);
    });
  }

  /** Issues a successor of the same dialect and kind; the old key keeps working for `overlapMs`, then expires. */
  async rotateKey(tenantId: string, keyId: string, newKey: string, overlapMs: number, actor: AdminActor): Promise<{ previous: ApiKeyInfo; next: ApiKeyInfo }> {
    return this.audited(actor, 'key.rotate', tenantId, [keyId], async (manager) => {
      const row = await this.keyRow(manager, tenantId, keyId);
      if (row.revokedAt !== null) throw new NotFoundError('api_key');
      const now = this.now();
      const expiresAt = now + Math.max(0, overlapMs);
      row.expiresAt = row.expiresAt === null ? expiresAt : Math.min(row.expiresAt, expiresAt);
      await manager.save(ApiKeyEntity, row);
      const next = await storeApiKey(manager, { tenantId, dialect: row.dialect as ApiKeyDialect, kind: row.kind as ApiKeyKind, key: newKey }, now);
      return { previous: toApiKeyInfo(row), next };
    });
  }

  /**
   * Sandbox reset: removes the tenant's customers, addresses, payment methods and tokens; keeps the
   * tenant, its keys and its audit log. `sandboxOnly` (production mode) refuses a tenant not marked
   * sandbox, checked in the same transaction as the delete.
   */
  async resetTenant(tenantId: string, actor: AdminActor, options: { sandboxOnly?: boolean } = {}): Promise<{ customers: number; addresses: number; paymentMethods: number }> {
    return this.audited(actor, 'tenant.reset', tenantId, [tenantId], async (manager) => {
      const tenant = await manager.findOne(TenantEntity, { where: { id: tenantId } });
      if (!tenant) throw new NotFoundError('tenant');
      if (options.sandboxOnly && !tenant.sandbox) throw new ForbiddenError(RESET_NOT_SANDBOX);
      const paymentMethods = (await manager.delete(PaymentMethodEntity, { tenantId })).affected ?? 0;
      const addresses = (await manager.delete(AddressEntity, { tenantId })).affected ?? 0;
      const customers = (await manager.delete(CustomerEntity, { tenantId })).affected ?? 0;
      await forgetLiveCustomers(manager, tenantId);
      await manager.delete(IdempotencyRecordEntity, { tenantId });
      return { customers, addresses, paymentMethods };
    });
  }

  async audit(query: AuditQuery): Promise<{ items: AuditEventInfo[]; total: number }> {
    const where: FindOptionsWhere<AuditEventEntity> = {};
    if (query.tenantId) where.tenantId = query.tenantId;
    if (query.operation) where.operation = query.operation;
    if (query.from !== undefined && query.to !== undefined) where.createdAt = Between(query.from, query.to);
    else if (query.from !== undefined) where.createdAt = MoreThanOrEqual(query.from);
    else if (query.to !== undefined) where.createdAt = LessThanOrEqual(query.to);
    return this.store.read(async (manager) => {
      const [rows, total] = await manager.findAndCount(AuditEventEntity, { where, order: { createdAt: 'DESC', id: 'ASC' }, take: query.limit, skip: query.offset });
      return {
        items: rows.map((r) => ({ id: r.id, tenantId: r.tenantId, actorKeyId: r.actorKeyId, dialect: r.dialect, operation: r.operation, targetIds: r.targetIds, outcome: r.outcome as AuditEventInfo['outcome'], requestId: r.requestId, createdAt: r.createdAt })),
        total,
      };
    });
  }

}

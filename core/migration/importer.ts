/**
 * The import engine: rows in, customers with the ids they keep out, in batches (docs/migration.md).
 *
 * - Each customer with its addresses and payment methods is one unit: written inside its own
 *   savepoint with its ledger row, so it is all in or not at all; the batch shares one COMMIT.
 * - A row whose kept id another record of the tenant holds is rejected, never written over. Ids
 *   are checked a batch at a time with one IN query per id kind, so a row costs no look-ups of its own.
 * - The ledger (one row per imported customer, keyed by the file's customer id) makes a second run
 *   of the same file import nothing twice, and finishes a run that was killed half-way.
 * - One audit event per run, not per row.
 */
import type { EntityManager } from 'typeorm';
import { recordAudit } from '../audit';
import { ConflictError, ValidationError } from '../errors';
import type { Tenant } from '../model';
import { sqlRunner } from '../persistence/rawRows';
import type { AuditContext } from '../vault/commands';
import { TypeormVaultSession } from '../vault/session';
import type { Vault } from '../vault/tenantVault';
import type { ImportCustomer, MigrationPreset } from './preset';
import { dropCvvs, type SourceRow } from './rows';

export interface ImportCounts {
  read: number;
  imported: number;
  alreadyPresent: number;
  rejected: number;
  cvvsDropped: number;
}

/** One line of the rejects report. `field` is the file's own field name; nothing here holds a number. */
export interface Rejection {
  line: number;
  sourceId: string | null;
  field: string;
  reason: string;
}

export interface ImportOptions {
  tenant: Tenant;
  preset: MigrationPreset;
  audit: AuditContext;
  /** SHA-256 of the file as given (encrypted or not), for the audit event. */
  fileDigest: string;
  dryRun?: boolean;
  batchSize?: number;
  onReject?(rejection: Rejection): void;
  onProgress?(counts: ImportCounts): void;
}

interface Pending {
  line: number;
  record: ImportCustomer;
  ledgerKey: string;
  digest: string;
}

/** A kept id and the column that must not hold it yet. */
interface Claim {
  table: 'customer' | 'address' | 'payment_method';
  column: 'id' | 'object_id' | 'live_vault_id' | 'vault_ref' | 'source_number';
  value: string | number;
  path: string;
}

function claimsOf(record: ImportCustomer): Claim[] {
  const claims: Claim[] = [];
  const { kept, vaultId } = record.customer;
  if (kept?.id) claims.push({ table: 'customer', column: 'id', value: kept.id, path: 'customer.id' });
  if (kept?.objectId) claims.push({ table: 'customer', column: 'object_id', value: kept.objectId, path: 'customer.objectId' });
  if (vaultId !== undefined && !kept?.deletedAt) claims.push({ table: 'customer', column: 'live_vault_id', value: vaultId, path: 'customer.vaultId' });
  record.addresses.forEach((address, i) => {
    if (address.kept?.id) claims.push({ table: 'address', column: 'id', value: address.kept.id, path: `addresses.${i}.id` });
    if (address.kept?.objectId) claims.push({ table: 'address', column: 'object_id', value: address.kept.objectId, path: `addresses.${i}.objectId` });
    if (address.kept?.sourceNumber !== undefined) claims.push({ table: 'address', column: 'source_number', value: address.kept.sourceNumber, path: `addresses.${i}.sourceNumber` });
  });
  record.paymentMethods.forEach((method, i) => {
    if (method.kept?.id) claims.push({ table: 'payment_method', column: 'id', value: method.kept.id, path: `paymentMethods.${i}.id` });
    if (method.kept?.objectId) claims.push({ table: 'payment_method', column: 'object_id', value: method.kept.objectId, path: `paymentMethods.${i}.objectId` });
    if (method.vaultRef !== undefined && !method.kept?.deletedAt) claims.push({ table: 'payment_method', column: 'vault_ref', value: method.vaultRef, path: `paymentMethods.${i}.vaultRef` });
  });
  return claims;
}

const claimKey = (claim: Pick<Claim, 'table' | 'column' | 'value'>) => `${claim.table}.${claim.column}=${String(claim.value)}`;

export class Importer {
  private readonly counts: ImportCounts = { read: 0, imported: 0, alreadyPresent: 0, rejected: 0, cvvsDropped: 0 };

  constructor(
    private readonly vault: Vault,
    private readonly options: ImportOptions,
  ) {}

  async run(rows: AsyncIterable<SourceRow>): Promise<ImportCounts> {
    const size = this.options.batchSize ?? 250;
    let batch: Pending[] = [];
    for await (const row of rows) {
      this.counts.read += 1;
      const pending = this.prepare(row);
      if (pending) batch.push(pending);
      if (batch.length >= size) {
        await this.settle(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.settle(batch);
    if (!this.options.dryRun) await this.audit();
    return { ...this.counts };
  }

  private reject(line: number, sourceId: string | null, field: string, reason: string): void {
    this.counts.rejected += 1;
    this.options.onReject?.({ line, sourceId, field, reason });
  }

  /** Reads one row through the preset; a row that fails its checks is reported here. */
  private prepare(row: SourceRow): Pending | null {
    if ('unreadable' in row) {
      this.reject(row.line, null, '', row.unreadable);
      return null;
    }
    this.counts.cvvsDropped += dropCvvs(row.fields);
    const context = { tenant: this.options.tenant, now: this.vault.now() };
    const result = this.options.preset.read(row.fields, context);
    if ('problems' in result) {
      const first = result.problems[0];
      this.reject(row.line, result.sourceId, first.field, result.problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
      return null;
    }
    return { line: row.line, record: result.record, ledgerKey: '', digest: JSON.stringify(row.fields) };
  }

  private async settle(batch: Pending[]): Promise<void> {
    const { store, keyring } = this.vault;
    const tenantId = this.options.tenant.id;
    const keys = await store.read((manager) => keyring.keysFor(manager, tenantId));
    for (const pending of batch) {
      // The digest is keyed (the tenant's fingerprint key): a row holds card numbers, and a plain hash of one could be guessed back.
      pending.digest = keyring.fingerprint(keys, pending.digest);
      pending.ledgerKey = `${this.options.preset.id}:${pending.record.sourceId ?? `#${pending.digest}`}`;
    }
    const [ledger, taken] = await store.read(async (manager) => [await this.ledgerOf(manager, batch), await this.takenClaims(manager, batch)] as const);
    const accepted: Pending[] = [];
    const claimedInBatch = new Set<string>();
    const keysInBatch = new Map<string, string>();
    for (const pending of batch) {
      const known = ledger.get(pending.ledgerKey) ?? keysInBatch.get(pending.ledgerKey);
      if (known !== undefined) {
        if (known === pending.digest) this.counts.alreadyPresent += 1;
        else this.reject(pending.line, pending.record.sourceId, this.fieldOf(pending, 'customer.id'), 'a different customer with this id was already imported');
        continue;
      }
      const conflict = claimsOf(pending.record).find((claim) => taken.has(claimKey(claim)) || claimedInBatch.has(claimKey(claim)));
      if (conflict) {
        this.reject(pending.line, pending.record.sourceId, this.fieldOf(pending, conflict.path), 'id already exists in the tenant');
        continue;
      }
      for (const claim of claimsOf(pending.record)) claimedInBatch.add(claimKey(claim));
      keysInBatch.set(pending.ledgerKey, pending.digest);
      accepted.push(pending);
    }
    if (this.options.dryRun) this.counts.imported += accepted.length;
    else if (accepted.length > 0) await this.write(accepted);
    this.options.onProgress?.({ ...this.counts });
  }

  private fieldOf(pending: Pending, path: string): string {
    return pending.record.idFields?.[path] ?? path;
  }

  private async ledgerOf(manager: EntityManager, batch: Pending[]): Promise<Map<string, string>> {
    const keys = batch.map((pending) => pending.ledgerKey);
    const rows = await sqlRunner(manager.connection).rows(
      manager,
      `SELECT source_key, digest FROM import_ledger WHERE tenant_id = ? AND source_key IN (${keys.map(() => '?').join(', ')})`,
      [this.options.tenant.id, ...keys],
    );
    return new Map(rows.map((row) => (Array.isArray(row) ? [String(row[0]), String(row[1])] : [String(row.source_key), String(row.digest)])));
  }

  /** Which of the batch's kept ids the tenant already holds: one IN query per table and column. */
  private async takenClaims(manager: EntityManager, batch: Pending[]): Promise<Set<string>> {
    const groups = new Map<string, Claim[]>();
    for (const pending of batch) {
      for (const claim of claimsOf(pending.record)) {
        const group = `${claim.table}.${claim.column}`;
        groups.set(group, [...(groups.get(group) ?? []), claim]);
      }
    }
    const taken = new Set<string>();
    const runner = sqlRunner(manager.connection);
    for (const claims of groups.values()) {
      const { table, column } = claims[0];
      const values = [...new Set(claims.map((claim) => claim.value))];
      // A deleted method's card_id may be reused, as the Maast create allows (NewPaymentMethod.vaultRef).
      const live = column === 'vault_ref' ? ' AND deleted_at IS NULL' : '';
      const rows = await runner.rows(manager, `SELECT ${column} FROM ${table} WHERE tenant_id = ? AND ${column} IN (${values.map(() => '?').join(', ')})${live}`, [this.options.tenant.id, ...values]);
      for (const row of rows) {
        const value = Array.isArray(row) ? row[0] : row[column];
        taken.add(claimKey({ table, column, value: column === 'source_number' ? Number(value) : String(value) }));
      }
    }
    return taken;
  }

  /** The batch in one transaction, each customer in its own savepoint with its ledger row. */
  private async write(batch: Pending[]): Promise<void> {
    const { store, keyring } = this.vault;
    const tenant = this.options.tenant;
    const written: Pending[] = [];
    const failed: Array<[Pending, string, string]> = [];
    await store.transaction(async (manager) => {
      written.length = 0;
      failed.length = 0;
      const now = this.vault.now();
      const keys = await keyring.keysFor(manager, tenant.id, now);
      const runner = sqlRunner(manager.connection);
      for (const pending of batch) {
        await manager.query('SAVEPOINT pv_import_row');
        try {
          const session = new TypeormVaultSession({ manager, tenant, keyring, keys, now: () => now, rowLocks: false, dialectKind: store.kind, touched: new Set() });
          const seq = await writeCustomer(session, pending.record);
          await runner.write(manager, 'INSERT INTO import_ledger (tenant_id, source_key, digest, customer_seq, created_at) VALUES (?, ?, ?, ?, ?)', [tenant.id, pending.ledgerKey, pending.digest, seq, now]);
          await manager.query('RELEASE SAVEPOINT pv_import_row');
          written.push(pending);
        } catch (error) {
          await manager.query('ROLLBACK TO SAVEPOINT pv_import_row');
          await manager.query('RELEASE SAVEPOINT pv_import_row');
          // Reported by kind only: a database error's text may quote the row's values.
          if (error instanceof ConflictError) failed.push([pending, this.fieldOf(pending, 'customer.vaultId'), 'id already exists in the tenant']);
          else failed.push([pending, '', error instanceof ValidationError ? 'invalid record' : 'could not be stored']);
        }
      }
    });
    this.counts.imported += written.length;
    for (const [pending, field, reason] of failed) this.reject(pending.line, pending.record.sourceId, field, reason);
  }

  private async audit(): Promise<void> {
    const { tenant, audit, preset, fileDigest } = this.options;
    const c = this.counts;
    // The audit event has no free-form detail: the file digest and the counts go in as named targets.
    const targetIds = [`file:sha256:${fileDigest}`, `from:${preset.id}`, `read:${c.read}`, `imported:${c.imported}`, `already_present:${c.alreadyPresent}`, `rejected:${c.rejected}`, `cvvs_dropped:${c.cvvsDropped}`];
    await this.vault.store.transaction((manager) =>
      recordAudit(manager, { tenantId: tenant.id, actorKeyId: audit.actorKeyId, dialect: audit.dialect, operation: 'import', targetIds, outcome: 'success', requestId: audit.requestId }, this.vault.now()),
    );
  }
}

/** One customer, its addresses and payment methods, and its defaults; returns the customer's seq. */
async function writeCustomer(session: TypeormVaultSession, record: ImportCustomer): Promise<number> {
  const customer = await session.createCustomer(record.customer);
  const pointers: { defaultBillingAddressSeq?: number; defaultShippingAddressSeq?: number; defaultPaymentMethodSeq?: number } = {};
  for (const { defaultBilling, defaultShipping, ...address } of record.addresses) {
    const added = await session.addAddress(customer.seq, address);
    if (defaultBilling) pointers.defaultBillingAddressSeq = added.seq;
    if (defaultShipping) pointers.defaultShippingAddressSeq = added.seq;
  }
  for (const { isDefault, ...method } of record.paymentMethods) {
    const added = await session.addPaymentMethod({ ...method, customerSeq: customer.seq });
    if (isDefault) pointers.defaultPaymentMethodSeq = added.seq;
  }
  if (Object.keys(pointers).length > 0) await session.updateCustomer(customer.seq, pointers, { touch: false });
  return customer.seq;
}

/**
 * Reads a tenant's customers for an export, a page at a time in creation order (memory bounded by
 * one page). Numbers are decrypted only when the export asked for them (`includeNumbers`), and
 * only in memory, on their way to an OpenPGP-encrypted file.
 */
import type { CustomerAggregate, Tenant } from '../model';
import { AddressEntity, CustomerEntity, PaymentMethodEntity } from '../persistence/entities';
import { toAddress, toCustomer, toPaymentMethod } from '../persistence/mappers';
import { rawRows } from '../persistence/rawRows';
import type { Vault } from '../vault/tenantVault';
import type { NumberFacts } from './preset';

export interface ExportedCustomer {
  customer: CustomerAggregate;
  facts: Map<number, NumberFacts>;
}

export async function* exportCustomers(vault: Vault, tenant: Tenant, options: { includeNumbers: boolean; includeDeleted: boolean; pageSize?: number }): AsyncGenerator<ExportedCustomer> {
  const pageSize = options.pageSize ?? 500;
  let after = 0;
  for (;;) {
    const page = await vault.store.read(async (manager) => {
      const connection = manager.connection;
      const state = options.includeDeleted ? 'purged_at IS NULL' : 'deleted_at IS NULL';
      const customers = await rawRows(connection, CustomerEntity).many(manager, `tenant_id = ? AND ${state} AND seq > ? ORDER BY seq LIMIT ?`, [tenant.id, after, pageSize]);
      if (customers.length === 0) return [];
      const seqs = customers.map((row) => row.seq);
      const ofPage = `tenant_id = ? AND customer_seq IN (${seqs.map(() => '?').join(', ')})`;
      const addresses = await rawRows(connection, AddressEntity).many(manager, `${ofPage} AND deleted_at IS NULL ORDER BY seq`, [tenant.id, ...seqs]);
      const methods = await rawRows(connection, PaymentMethodEntity).many(manager, `${ofPage} AND ${state} ORDER BY seq`, [tenant.id, ...seqs]);
      const keys = options.includeNumbers ? await vault.keyring.keysFor(manager, tenant.id) : null;
      const bySeq = new Map<number, ExportedCustomer>();
      const out = customers.map((row) => {
        const entry: ExportedCustomer = { customer: Object.assign(toCustomer(row), { addresses: [], paymentMethods: [] }), facts: new Map() };
        bySeq.set(row.seq, entry);
        return entry;
      });
      for (const row of addresses) bySeq.get(row.customerSeq)?.customer.addresses.push(toAddress(row));
      for (const row of methods) {
        const entry = row.customerSeq === null ? undefined : bySeq.get(row.customerSeq);
        if (!entry) continue;
        entry.customer.paymentMethods.push(toPaymentMethod(row));
        entry.facts.set(row.seq, { number: keys && row.secret ? vault.keyring.decryptSecret(keys, row.secret) : null, fingerprint: row.fingerprint });
      }
      return out;
    });
    if (page.length === 0) return;
    after = page[page.length - 1].customer.seq;
    yield* page;
  }
}

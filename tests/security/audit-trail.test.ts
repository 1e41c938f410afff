/**
 * The audit trail an auditor reads: every write route of every dialect that succeeds leaves exactly
 * one success event, named by the dialect, made by the key that was used, and naming every record
 * the write created, changed or deleted (not only the first). Expectations come from the database
 * rows themselves, compared before and after each call. Two writes a record makes as a side effect
 * are not expected in the event: a customer's `updated_at` moving when a child record changes, and
 * the children of a deleted customer (the customer names them). A read sent as POST (FluidPay #3
 * search) leaves no event. A write the gateway refuses (FluidPay wallet tokens it cannot decrypt)
 * leaves no success event and no row changed.
 */
import { hashApiKey } from '../../core/tenancy/apiKeys';
import type { CreatedTenant, Harness } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import { DIALECT_NAMES, fixtures, keyOf, routeCall, routesOf, send } from './routes';

type Row = Record<string, unknown>;

interface Snapshot {
  /** The row without `updated_at`, as JSON. */
  content: string;
  deleted: boolean;
  /** The customer a child row belongs to (address, payment method). */
  customerSeq: unknown;
  seq: unknown;
  table: string;
}

interface AuditRow {
  id: string;
  dialect: string;
  operation: string;
  outcome: string;
  actor_key_id: string | null;
  target_ids: string;
  request_id: string | null;
}

/** Every vault row of the tenant, by id, as the database returns it. */
async function vaultRows(h: Harness, tenantId: string): Promise<Map<string, Snapshot>> {
  const out = new Map<string, Snapshot>();
  for (const table of ['customer', 'address', 'payment_method']) {
    const rows: Row[] = await h.context.store.read((m) => m.query(`SELECT * FROM ${table} WHERE tenant_id = ?`, [tenantId]));
    // A customer's default pointers move when a default child is removed: the child names that write.
    for (const { updated_at: _ignored, default_payment_method_seq: _p, default_billing_address_seq: _b, default_shipping_address_seq: _s, ...row } of rows) {
      out.set(String(row.id), {
        content: JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
        deleted: row.deleted_at !== null,
        customerSeq: row.customer_seq,
        seq: row.seq,
        table,
      });
    }
  }
  return out;
}

/** Ids of the rows this write created, changed or deleted, less a deleted customer's children. */
function written(before: Map<string, Snapshot>, after: Map<string, Snapshot>): string[] {
  const changed = [...after].filter(([id, row]) => before.get(id)?.content !== row.content);
  const deletedCustomers = new Set(changed.filter(([id, row]) => row.table === 'customer' && row.deleted && !before.get(id)?.deleted).map(([, row]) => String(row.seq)));
  return changed.filter(([, row]) => row.table === 'customer' || !deletedCustomers.has(String(row.customerSeq))).map(([id]) => id);
}

async function auditRows(h: Harness, tenantId: string): Promise<AuditRow[]> {
  return h.context.store.read((m) => m.query('SELECT * FROM audit_event WHERE tenant_id = ?', [tenantId]));
}

async function tokenizerToken(h: Harness, tenant: CreatedTenant): Promise<string> {
  const res = await send(h, { method: 'post', path: '/api/tokenizer/token', authorization: keyOf(tenant, 'fluidpay', true), body: { card: { number: '5454545454545454', expiration_date: '01/31', cvc: '123' } } });
  expect(res.status).toBe(200);
  return res.body.data.token as string;
}

describeEachDatabase('audit trail of dialect writes', (h) => {
  for (const dialect of DIALECT_NAMES) {
    for (const route of routesOf(dialect).filter((r) => r.method !== 'get')) {
      it(`${dialect} ${route.name}: one success event, by the key used, naming every record written`, async () => {
        const tenant: CreatedTenant = await h().createTenant();
        const ids = await fixtures(h(), tenant, dialect);
        const key = keyOf(tenant, dialect, route.publicKey);
        const [{ id: keyId }] = await h().context.store.read((m) => m.query('SELECT id FROM api_key WHERE key_hash = ?', [hashApiKey(key)]));

        const call = routeCall(route, tenant, ids);
        // FluidPay #15/#16 take a token the tokenizer issued to this tenant.
        if (dialect === 'fluidpay' && /token/.test(route.name) && !route.publicKey) call.body = { token: await tokenizerToken(h(), tenant) };
        const rowsBefore = await vaultRows(h(), tenant.tenant.id);
        const eventsBefore = new Set((await auditRows(h(), tenant.tenant.id)).map((e) => e.id));
        const res = await send(h(), call);
        const rowsAfter = await vaultRows(h(), tenant.tenant.id);
        const events = (await auditRows(h(), tenant.tenant.id)).filter((e) => !eventsBefore.has(e.id));
        if (res.status >= 300) {
          expect(`${route.name}: ${res.status}`).toMatch(/#1[78] \w+: 400/); // wallets: refused, see the FluidPay tests
          expect(events.filter((e) => e.outcome === 'success')).toEqual([]);
          expect(rowsAfter).toEqual(rowsBefore);
          return;
        }
        if (route.name.includes('search')) {
          expect(events).toEqual([]);
          expect(rowsAfter).toEqual(rowsBefore);
          return;
        }

        expect(events.map((e) => ({ dialect: e.dialect, outcome: e.outcome, actor: e.actor_key_id }))).toEqual([{ dialect, outcome: 'success', actor: keyId }]);
        const [event] = events;
        expect(event.operation).toMatch(/\S/);
        expect(event.request_id).toMatch(/^[0-9a-f-]{36}$/);
        const targets: string[] = JSON.parse(event.target_ids);
        expect([...targets].sort()).toEqual(expect.arrayContaining(written(rowsBefore, rowsAfter).sort()));
        // No id in the event that names nothing of this tenant.
        for (const target of targets) expect(rowsAfter.has(target)).toBe(true);
      });
    }
  }
});

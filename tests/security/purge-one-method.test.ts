/**
 * Deleting one payment method through Maast (#9 deleteBillingCard) or FluidPay (#11 delete card,
 * #14 delete ACH) is a purge (contracts: the number is gone for good): that method's encrypted
 * number, fingerprint and single-use token are destroyed, and only that method's; the customer's
 * other methods keep theirs. Exact and Stax deletes are soft by contract and are not covered here.
 */
import type { CreatedTenant } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import { ACCOUNTS, authHeader, type DialectName, fixtures, PANS, send } from './routes';

interface MethodRow {
  id: string;
  last4: string;
  secret: string | null;
  fingerprint: string | null;
  single_use_token: string | null;
  purged_at: unknown;
  deleted_at: unknown;
}

describeEachDatabase('deleting one payment method purges its number', (h) => {
  // A tenant per test: each test's fixtures are then the only methods in it.
  let tenant: CreatedTenant;
  beforeEach(async () => {
    tenant = await h().createTenant();
  });

  const methods = async (): Promise<MethodRow[]> =>
    h().context.store.read((m) => m.query('SELECT id, last4, secret, fingerprint, single_use_token, purged_at, deleted_at FROM payment_method WHERE tenant_id = ?', [tenant.tenant.id]));

  /** Deletes one method through the dialect and checks the rows before and after. */
  async function expectPurgedAlone(dialect: DialectName, last4: string, call: { method: 'put' | 'delete'; path: string; body?: unknown }): Promise<void> {
    const before = await methods();
    const target = before.filter((row) => row.last4 === last4);
    expect(target).toHaveLength(1);
    expect(target[0].secret).toMatch(/^k\d+:/);
    const others = before.filter((row) => row.id !== target[0].id && row.secret !== null);
    expect(others.length).toBeGreaterThan(0);

    const res = await send(h(), { ...call, authorization: authHeader(dialect, tenant.keys[dialect]) });
    expect(`${res.status} ${res.text}`).toMatch(/^200 /);

    const after = new Map((await methods()).map((row) => [row.id, row]));
    const gone = after.get(target[0].id)!;
    expect({ secret: gone.secret, fingerprint: gone.fingerprint, token: gone.single_use_token, purged: gone.purged_at !== null, deleted: gone.deleted_at !== null }).toEqual({
      secret: null,
      fingerprint: null,
      token: null,
      purged: true,
      deleted: true,
    });
    // The customer's other methods are untouched.
    for (const other of others) expect(after.get(other.id)).toEqual(other);
  }

  it('Maast #9 deleteBillingCard destroys that card number only', async () => {
    const ids = await fixtures(h(), tenant, 'maast');
    await expectPurgedAlone('maast', PANS.maast.slice(-4), { method: 'put', path: `/platform/vault/customer/${ids.customer}/billing/delete`, body: { card_id: ids.card } });
    const res = await send(h(), { method: 'get', path: `/platform/vault/customer/${ids.customer}/billing`, authorization: authHeader('maast', tenant.keys.maast) });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(ids.card);
  });

  it('FluidPay #11 delete card destroys that card number only', async () => {
    const ids = await fixtures(h(), tenant, 'fluidpay');
    await expectPurgedAlone('fluidpay', PANS.fluidpay2.slice(-4), { method: 'delete', path: `/api/vault/customer/${ids.customer}/card/${ids.card}` });
  });

  it('FluidPay #14 delete ACH destroys that account number only', async () => {
    const ids = await fixtures(h(), tenant, 'fluidpay');
    await expectPurgedAlone('fluidpay', ACCOUNTS.fluidpay.slice(-4), { method: 'delete', path: `/api/vault/customer/${ids.customer}/ach/${ids.ach}` });
  });
});

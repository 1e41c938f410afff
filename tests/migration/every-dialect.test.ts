/**
 * Issue 16, point 5: for every preset's example file, the imported customer answers under its old
 * ids through the source dialect, and the same record answers through the other three dialects
 * under their own ids, on a real database through real HTTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { Importer } from '../../core/migration/importer';
import { readRows } from '../../core/migration/rows';
import { migrationPresets } from '../../gateway/cli/migration';
import { basicA } from '../dialects/maast/support';
import { describeEachDatabase, type CreatedTenant, type Harness } from '../support/harness';

const EXAMPLES = join(__dirname, '..', '..', 'docs', 'migration', 'examples');
type Get = (path: string) => request.Test;
type Clients = Record<'stax' | 'exact' | 'fluidpay' | 'maast', Get>;

const clientsOf = (h: Harness, keys: Record<string, string>): Clients => ({
  stax: (path) => request(h.app).get(`/stax${path}`).set('Authorization', `Bearer ${keys.stax}`),
  exact: (path) => request(h.app).get(`/exact${path}`).set('Authorization', keys.exact),
  fluidpay: (path) => request(h.app).get(`/api${path}`).set('Authorization', keys.fluidpay),
  maast: (path) => request(h.app).get(`/platform/vault${path}`).set('Authorization', basicA(keys.maast)),
});

interface Case {
  from: string;
  file: string;
  /** The first customer of the file, by the id the file gives it. */
  sourceId: string;
  /** Text of the record every dialect that carries it shows: the last name, or for FluidPay (no customer names) the address. */
  shown: string;
  last4: string;
  /** Reads through the source dialect by the provider's own ids. */
  oldIds(get: Clients): Promise<void>;
}

const CASES: Case[] = [
  {
    from: 'stax',
    file: 'stax.jsonl',
    sourceId: '5b2d0a1c-7c4e-4c2a-9f0e-2d3b4c5d6e7f',
    shown: 'Lovelace',
    last4: '1111',
    async oldIds(get) {
      expect((await get.stax('/customer/5b2d0a1c-7c4e-4c2a-9f0e-2d3b4c5d6e7f').expect(200)).body.id).toBe('5b2d0a1c-7c4e-4c2a-9f0e-2d3b4c5d6e7f');
      const method = await get.stax('/payment-method/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d').expect(200);
      expect(method.body).toMatchObject({ id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', customer_id: '5b2d0a1c-7c4e-4c2a-9f0e-2d3b4c5d6e7f', card_last_four: '1111' });
    },
  },
  {
    from: 'maast',
    file: 'maast.jsonl',
    sourceId: 'CUST1001',
    shown: 'Lovelace',
    last4: '5454',
    async oldIds(get) {
      const data = (await get.maast('/customer/CUST1001').expect(200)).body.data;
      expect(data).toMatchObject({ customer_id: 'CUST1001', billing_cards: [expect.objectContaining({ card_id: '8f14e45fceea167a5a36dedd4bea2543' })], shipping_addresses: [expect.objectContaining({ shipping_id: 7 })] });
    },
  },
  {
    from: 'maast',
    file: 'maast.csv',
    sourceId: 'CUST2001',
    shown: 'Turing',
    last4: '1111',
    async oldIds(get) {
      const data = (await get.maast('/customer/CUST2001').expect(200)).body.data;
      expect(data).toMatchObject({ customer_id: 'CUST2001', billing_cards: [expect.objectContaining({ card_id: 'c9f0f895fb98ab9159f51fd0297e236d' })], shipping_addresses: [expect.objectContaining({ shipping_id: 12 })] });
    },
  },
  {
    from: 'fluidpay',
    file: 'fluidpay.jsonl',
    sourceId: 'cp1nqpaq3ou114hqfs90',
    shown: '12 Main St',
    last4: '1111',
    async oldIds(get) {
      const body = (await get.fluidpay('/vault/cp1nqpaq3ou114hqfs90').expect(200)).body;
      expect(body.data.id).toBe('cp1nqpaq3ou114hqfs90');
      const customer = body.data.data.customer;
      expect(customer).toMatchObject({ payments: { cards: [expect.objectContaining({ id: 'cp1nqpaq3ou114hqfs8g' })] }, addresses: [expect.objectContaining({ id: 'cp1nqpaq3ou114hqfs80' })] });
      // FluidPay has no GET of one address or card: the customer's record is where their ids are read.
      expect(body.data.data.customer.defaults).toMatchObject({ billing_address_id: 'cp1nqpaq3ou114hqfs80', payment_method_id: 'cp1nqpaq3ou114hqfs8g' });
    },
  },
  {
    from: 'exact',
    file: 'exact.jsonl',
    sourceId: '65f1a2b3c4d5e6f708192a3b',
    shown: 'Lovelace',
    last4: '1111',
    async oldIds(get) {
      expect((await get.exact('/customer/65f1a2b3c4d5e6f708192a3b').expect(200)).body).toMatchObject({ id: '65f1a2b3c4d5e6f708192a3b', token: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' });
      const method = await get.exact('/payment-method/7c9e6679-7425-40de-944b-e07fc1f90ae7').expect(200);
      expect(JSON.stringify(method.body)).toContain('1111');
      const byToken = await get.exact('/customer-token/3f2504e0-4f89-41d3-9a0c-0305e82c3301/payment-method').expect(200);
      expect(JSON.stringify(byToken.body)).toContain('7c9e6679-7425-40de-944b-e07fc1f90ae7');
    },
  },
];

async function importExample(h: Harness, tenant: CreatedTenant, from: string, file: string) {
  const importer = new Importer(h.context.vault, { tenant: tenant.tenant, preset: migrationPresets().get(from)!, audit: { dialect: 'cli', actorKeyId: 'cli', requestId: null }, fileDigest: 'test' });
  return importer.run(readRows(Readable.from(readFileSync(join(EXAMPLES, file))), file.endsWith('.csv') ? 'csv' : 'jsonl'));
}

/** The record's ids in the store, found through the import ledger (the file's id, not any dialect's). */
async function storedIds(h: Harness, tenantId: string, from: string, sourceId: string) {
  const rows = (await h.context.store.dataSource.query(
    'SELECT c.id AS id, c.object_id AS object_id, c.vault_id AS vault_id FROM import_ledger l JOIN customer c ON c.seq = l.customer_seq WHERE l.tenant_id = ? AND l.source_key = ?',
    [tenantId, `${from}:${sourceId}`],
  )) as Array<{ id: string; object_id: string; vault_id: string }>;
  expect(rows).toHaveLength(1);
  return rows[0];
}

describeEachDatabase('an imported customer through every dialect', (harness) => {
  it.each(CASES.map((c) => [`${c.from} (${c.file})`, c] as const))('%s: old ids through the source dialect, the record through all four', async (_name, c) => {
    const h = harness();
    const tenant = await h.createTenant({ settings: { maast: { merchantId: '210000000289' } } });
    expect((await importExample(h, tenant, c.from, c.file)).imported).toBeGreaterThan(0);
    const get = clientsOf(h, tenant.keys);
    await c.oldIds(get);

    const ids = await storedIds(h, tenant.tenant.id, c.from, c.sourceId);
    const views = {
      stax: await get.stax(`/customer/${ids.id}`).expect(200),
      exact: await get.exact(`/customer/${ids.object_id.toLowerCase()}`).expect(200),
      fluidpay: await get.fluidpay(`/vault/${ids.vault_id}`).expect(200),
      maast: await get.maast(`/customer/${ids.vault_id}`).expect(200),
    };
    // Each dialect names the record by its own id.
    expect([views.stax.body.id, views.exact.body.id, views.fluidpay.body.data.id, views.maast.body.data.customer_id]).toEqual([ids.id.toLowerCase(), ids.object_id.toLowerCase(), ids.vault_id, ids.vault_id]);
    // The customer's own details, as the other dialects carry them (FluidPay's customer has no name; its addresses carry them).
    for (const view of [views.stax, views.exact, views.maast]) expect(JSON.stringify(view.body)).toContain(c.shown);
    // Each dialect shows the card, masked, under its own shape.
    const staxMethods = await get.stax(`/customer/${ids.id}/payment-method`).expect(200);
    expect(staxMethods.body).toEqual(expect.arrayContaining([expect.objectContaining({ card_last_four: c.last4 })]));
    expect(views.maast.body.data.billing_cards).toEqual(expect.arrayContaining([expect.objectContaining({ card_number: expect.stringMatching(new RegExp(`${c.last4}$`)) })]));
    expect(JSON.stringify(views.fluidpay.body.data.data.customer.payments.cards)).toContain(c.last4);
    const exactMethods = await get.exact(`/customer/${ids.object_id.toLowerCase()}/payment-method`).expect(200);
    expect(JSON.stringify(exactMethods.body)).toContain(c.last4);
  });
});

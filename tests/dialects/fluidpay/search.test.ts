/**
 * Route 3, search (§4.3, §9.9): every filter of the seed's table with `=` and `!=`, the date ranges,
 * paging, AND, `total_count`, newest first; and the SQLite query plan of an equality filter.
 */
import { captureQueries } from '../../support/queryLog';
import { describeEachDatabase } from '../../support/harness';
import { client, DOCUMENTED_ACH, DOCUMENTED_CREATE, fluidpayTenant } from './support';

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const DAY = 86_400_000;
const T0 = Date.parse('2024-05-10T12:00:00.000Z');

describeEachDatabase('fluidpay search', (h) => {
  let api: ReturnType<typeof client>;
  const rec: Record<string, Wire> = {};

  beforeAll(async () => {
    const t = await fluidpayTenant(h());
    api = client(h(), t.key);
    try {
      // c1 (May 10): the documented customer, card default.
      h().setNow(T0);
      rec.c1 = (await api.post('/api/vault/customer', { ...DOCUMENTED_CREATE, id: 'c1' }).expect(200)).body.data;
      // c2 (May 11): two addresses that differ from c1 in every field, ACH default, description and notes.
      h().setNow(T0 + DAY);
      await api
        .post('/api/vault/customer', {
          id: 'c2',
          description: 'desc2',
          notes: 'note2',
          default_payment: { ach: DOCUMENTED_ACH },
          default_billing_address: { first_name: 'Jane', last_name: 'Doe', company: 'Other Co', line_1: '9 Elm', line_2: 'Apt 2', city: 'Chicago', state: 'ON', postal_code: 'M5V', country: 'CA', email: 'jane@x.com', phone: '111', fax: '222' },
          default_shipping_address: { first_name: 'Bob', city: 'Boston' },
        })
        .expect(200);
      // c3 (May 12): nothing but an id.
      h().setNow(T0 + 2 * DAY);
      await api.post('/api/vault/customer', { id: 'c3' }).expect(200);
      // c4 (May 13): a card and an ACH account, the ACH account is the default.
      h().setNow(T0 + 3 * DAY);
      await api.post('/api/vault/customer', { id: 'c4', default_payment: { ach: DOCUMENTED_ACH } }).expect(200);
      await api.post('/api/vault/customer/c4/card', { number: '4111111111111111', expiration_date: '1230' }).expect(200);
      // c1 is updated last (May 14).
      h().setNow(T0 + 4 * DAY);
      await api.post('/api/vault/customer/c1', { notes: 'touched' }).expect(200);
    } finally {
      h().setNow(null);
    }
    for (const id of ['c1', 'c2', 'c3', 'c4']) rec[id] = (await api.get(`/api/vault/${id}`).expect(200)).body.data;
  });

  async function ids(body: unknown): Promise<string[]> {
    const res = await api.post('/api/vault/customer/search', body).expect(200);
    expect(res.body.total_count).toBe(res.body.data.length);
    return res.body.data.map((r: Wire) => r.id);
  }

  it('answers the documented example request with full records and total_count', async () => {
    const res = await api
      .post('/api/vault/customer/search', { email: { operator: '=', value: 'user@somesite.com' }, created_at: { start_date: '2024-05-01', end_date: '2024-05-31' }, limit: 25, offset: 0 })
      .expect(200);
    expect(res.body).toEqual({ status: 'success', msg: 'success', data: [rec.c1], total_count: 1 });
    expect(Object.keys(res.body)).toEqual(['status', 'msg', 'data', 'total_count']);
  });

  it('filters on every address field with = (any address) and != (no address)', async () => {
    const john = DOCUMENTED_CREATE.default_billing_address;
    const filters: Record<string, string> = {
      first_name: john.first_name,
      last_name: john.last_name,
      company: john.company,
      address_line_1: john.line_1,
      address_line_2: john.line_2,
      city: john.city,
      state: john.state,
      postal_code: john.postal_code,
      country: john.country,
      email: john.email,
      phone: john.phone,
      fax: john.fax,
    };
    for (const [field, value] of Object.entries(filters)) {
      expect([field, await ids({ [field]: { operator: '=', value } })]).toEqual([field, ['c1']]);
      expect([field, await ids({ [field]: { operator: '!=', value } })]).toEqual([field, ['c4', 'c3', 'c2']]);
    }
    // Case-sensitive; the empty operator means "=".
    expect(await ids({ city: { operator: '=', value: 'some town' } })).toEqual([]);
    expect(await ids({ city: { operator: '', value: 'Chicago' } })).toEqual(['c2']);
    // Two address filters may be satisfied by different addresses of one customer.
    expect(await ids({ first_name: { operator: '=', value: 'Bob' }, city: { operator: '=', value: 'Chicago' } })).toEqual(['c2']);
  });

  it('filters on ids, defaults, payment method type, description and notes', async () => {
    const c1 = rec.c1.data.customer;
    const c2 = rec.c2.data.customer;
    expect(await ids({ id: { operator: '=', value: 'c3' } })).toEqual(['c3']);
    expect(await ids({ id: { operator: '!=', value: 'c3' } })).toEqual(['c4', 'c2', 'c1']);
    expect(await ids({ address_id: { operator: '=', value: c2.addresses[1].id } })).toEqual(['c2']);
    expect(await ids({ address_id: { operator: '!=', value: c2.addresses[1].id } })).toEqual(['c4', 'c3', 'c1']);
    expect(await ids({ address_id: { operator: '=', value: 'cp1nqpaq3ou114hqfs80' } })).toEqual([]);
    expect(await ids({ payment_method_id: { operator: '=', value: c1.payments.cards[0].id } })).toEqual(['c1']);
    expect(await ids({ payment_method_id: { operator: '!=', value: c1.payments.cards[0].id } })).toEqual(['c4', 'c3', 'c2']);
    expect(await ids({ billing_address_id: { operator: '=', value: c2.addresses[0].id } })).toEqual(['c2']);
    expect(await ids({ billing_address_id: { operator: '!=', value: c2.addresses[0].id } })).toEqual(['c4', 'c3', 'c1']);
    expect(await ids({ shipping_address_id: { operator: '=', value: c2.addresses[1].id } })).toEqual(['c2']);
    expect(await ids({ shipping_address_id: { operator: '=', value: '' } })).toEqual(['c4', 'c3']);
    expect(await ids({ payment_method_type: { operator: '=', value: 'card' } })).toEqual(['c1']);
    expect(await ids({ payment_method_type: { operator: '=', value: 'ach' } })).toEqual(['c4', 'c2']);
    expect(await ids({ payment_method_type: { operator: '!=', value: 'card' } })).toEqual(['c4', 'c3', 'c2']);
    expect(await ids({ payment_method_type: { operator: '=', value: '' } })).toEqual(['c3']);
    expect(await ids({ description: { operator: '=', value: 'desc2' } })).toEqual(['c2']);
    expect(await ids({ description: { operator: '!=', value: 'desc2' } })).toEqual(['c4', 'c3', 'c1']);
    expect(await ids({ notes: { operator: '=', value: 'touched' } })).toEqual(['c1']);
    expect(await ids({ notes: { operator: '!=', value: 'touched' } })).toEqual(['c4', 'c3', 'c2']);
    // AND of several filters.
    expect(await ids({ payment_method_type: { operator: '=', value: 'ach' }, id: { operator: '!=', value: 'c4' } })).toEqual(['c2']);
  });

  it('filters on created_at and updated_at ranges (inclusive, calendar days or RFC 3339)', async () => {
    expect(await ids({ created_at: { start_date: '2024-05-11', end_date: '2024-05-12' } })).toEqual(['c3', 'c2']);
    expect(await ids({ created_at: { start_date: '2024-05-12T12:00:00.000Z' } })).toEqual(['c4', 'c3']);
    expect(await ids({ created_at: { end_date: '2024-05-11T07:00:00-05:00' } })).toEqual(['c2', 'c1']);
    expect(await ids({ updated_at: { start_date: '2024-05-14' } })).toEqual(['c1']);
    expect(await ids({ created_at: { start_date: '', end_date: '' } })).toEqual(['c4', 'c3', 'c2', 'c1']);
  });

  it('pages newest first with limit and offset; total_count ignores paging', async () => {
    const page = async (body: unknown) => (await api.post('/api/vault/customer/search', body).expect(200)).body;
    const all = await page({});
    expect(all.data.map((r: Wire) => r.id)).toEqual(['c4', 'c3', 'c2', 'c1']);
    const second = await page({ limit: 2, offset: 1 });
    expect([second.data.map((r: Wire) => r.id), second.total_count]).toEqual([['c3', 'c2'], 4]);
    expect((await page({ limit: 0, offset: null })).data).toHaveLength(4);
    const beyond = await page({ offset: 1000 });
    expect([beyond.data, beyond.total_count]).toEqual([[], 4]);
    expect((await page({ id: { operator: '=', value: 'nobody' } })).total_count).toBe(0);
  });

  it('refuses invalid operators, dates and paging with the documented messages', async () => {
    const msg = async (body: unknown) => (await api.post('/api/vault/customer/search', body).expect(400)).body.msg;
    expect(await msg({ email: { operator: 'LIKE', value: 'x' } })).toBe('bad request error: email.operator: invalid operator');
    expect(await msg({ created_at: { start_date: '05/01/2024' } })).toBe('bad request error: created_at.start_date: invalid date');
    expect(await msg({ updated_at: { end_date: '2024-02-30' } })).toBe('bad request error: updated_at.end_date: invalid date');
    expect(await msg({ limit: 101 })).toBe('bad request error: limit: must be between 1 and 100');
    expect(await msg({ limit: -1 })).toBe('bad request error: limit: must be between 1 and 100');
    expect(await msg({ limit: '5' })).toBe('bad request error: limit: must be an integer');
    expect(await msg({ offset: 1001 })).toBe('bad request error: offset: must be between 0 and 1000');
    expect(await msg({ city: 'Chicago' })).toBe('bad request error: city: must be an object');
  });

  /** The count and page queries a search runs, captured from the data source's query log. */
  async function listingQueries(body: unknown): Promise<Array<{ sql: string; parameters?: unknown[] }>> {
    const captured = await captureQueries(h().context.store.dataSource, () => api.post('/api/vault/customer/search', body).expect(200));
    const listing = captured.filter((q) => /FROM [`"]customer[`"] [`"]c[`"]/.test(q.sql) && /(COUNT\(|LIMIT)/.test(q.sql));
    expect(listing.length).toBe(2); // the count and the page
    return listing;
  }

  async function sqlitePlan(query: { sql: string; parameters?: unknown[] }): Promise<string> {
    const plan: Array<{ detail: string }> = await h().context.store.dataSource.query(`EXPLAIN QUERY PLAN ${query.sql}`, query.parameters);
    const details = plan.map((row) => row.detail).join('\n');
    if (process.env.FLUIDPAY_PRINT_PLAN) console.log(query.sql, query.parameters, details);
    return details;
  }

  it('serves an equality filter from indexes, without scanning the tenant customers (query plan)', async () => {
    const listing = await listingQueries({ email: { operator: '=', value: 'user@somesite.com' }, limit: 25 });
    if (h().db === 'mysql') {
      for (const query of listing) {
        const plan: Array<Record<string, unknown>> = await h().context.store.dataSource.query(`EXPLAIN ${query.sql}`, query.parameters);
        if (process.env.FLUIDPAY_PRINT_PLAN) console.log(query.sql, JSON.stringify(plan, null, 1));
        // The address index finds the customers; each is then read by primary key.
        expect(plan.find((row) => row.table === 'a')).toMatchObject({ key: 'ix_address_email', ref: 'const,const' });
        expect(plan.find((row) => row.table === 'c')).toMatchObject({ type: 'eq_ref', key: 'PRIMARY' });
      }
      return;
    }
    for (const query of listing) {
      const details = await sqlitePlan(query);
      expect(details).toMatch(/SEARCH a USING INDEX ix_address_email \(tenant_id=\? AND email=\?\)/);
      expect(details).toMatch(/SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(details).not.toMatch(/SCAN c\b/);
      expect(details).not.toMatch(/SEARCH c USING INDEX \w+ \(tenant_id=\?\)$/m);
    }
  });

  it('serves id, notes and default-address filters from (tenant, column) indexes (SQLite plan)', async () => {
    if (h().db !== 'sqlite') return;
    const billing = rec.c2.data.customer.addresses[0].id;
    for (const [body, index] of [
      [{ id: { operator: '=', value: 'c2' } }, /SEARCH c USING INDEX ux_customer_live_vault_id \(tenant_id=\? AND live_vault_id=\?\)|SEARCH c USING INDEX ix_customer_vault_id \(tenant_id=\? AND vault_id=\?\)/],
      [{ notes: { operator: '=', value: 'note2' } }, /SEARCH c USING INDEX ix_customer_notes \(tenant_id=\? AND notes=\?\)/],
      [{ billing_address_id: { operator: '=', value: billing } }, /SEARCH c USING INDEX ix_customer_default_billing \(tenant_id=\? AND default_billing_address_seq=\?\)/],
    ] as const) {
      for (const query of await listingQueries(body)) expect(await sqlitePlan(query)).toMatch(index);
    }
  });
});

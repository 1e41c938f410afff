/**
 * Stax customers over HTTP (contract §4.1–§4.8), on SQLite and MariaDB: the provider's "Create
 * Customer" reference (docs/dialects/stax.md, "Contract notes") statement by statement, the contract's examples verbatim, and every error
 * case of §7.6 with nothing written when a request fails.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/harness';
import { rowCounts, S1_EXAMPLE, S1_EXAMPLE_RESPONSE, stax, STAX_TIME, staxTenant, UUID_V4 } from './client';

const AT_LEAST_ONE = 'At least one of firstname, lastname, email or company is required.';
const COUNTRY = 'The address country must be a 3-letter ISO 3166-1 alpha-3 code.';

describeEachDatabase('stax S1 create customer: the seed, statement by statement', (h) => {
  it('201: stores name, email and company and assigns a UUID customer id used in later calls', async () => {
    const t = await staxTenant(h());
    const res = await stax(h(), t.key).post('/customer', { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', company: 'Engines Ltd' }).expect(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.id).toMatch(UUID_V4);
    expect(res.body).toMatchObject({ firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', company: 'Engines Ltd' });
    const read = await stax(h(), t.key).get(`/customer/${res.body.id}`).expect(200);
    expect(read.body).toEqual(res.body);
    // "The customer_id can be used for associating payment methods".
    await stax(h(), t.key)
      .post('/payment-method', { method: 'card', customer_id: res.body.id, card_number: '4111111111111111', card_exp: '0439' })
      .expect(200);
  });

  it('requires at least one of firstname, lastname, email or company; any one of them is enough', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    for (const body of [{ firstname: 'A' }, { lastname: 'B' }, { email: 'c@example.com' }, { company: 'D Inc' }]) {
      await client.post('/customer', body).expect(201);
    }
    const before = await rowCounts(h());
    for (const body of [{}, { phone: '4075550123', address_country: 'USA' }, { firstname: '  ', lastname: '', email: null, company: '' }]) {
      const res = await client.post('/customer', body).expect(422);
      expect(res.body).toEqual({ firstname: [AT_LEAST_ONE] });
    }
    expect(await rowCounts(h())).toEqual(before);
  });

  it('takes address_country as an ISO alpha-3 code (any case, stored upper case) and rejects anything else', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const ok = await client.post('/customer', { firstname: 'A', address_country: 'usa' }).expect(201);
    expect(ok.body.address_country).toBe('USA');
    const before = await rowCounts(h());
    for (const country of ['US', 'United States', 'XYZ', 'U$A', 840]) {
      const res = await client.post('/customer', { firstname: 'A', address_1: '1 Main St', address_country: country }).expect(422);
      expect(Object.keys(res.body)).toEqual(['address_country']);
      if (typeof country === 'string') expect(res.body.address_country).toEqual([COUNTRY]);
    }
    expect(await rowCounts(h())).toEqual(before);
  });

  it('stores custom-field values as strings whatever their type, checked by that type', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const res = await client
      .post('/customer', {
        company: 'Acme',
        options: {
          custom_fields: [
            { name: 'Seats', type: 'number', value: 12 },
            { name: 'Ratio', type: 'number', value: '0.75' },
            { name: 'Active', type: 'boolean', value: 0 },
            { name: 'Since', type: 'date', value: '2024-02-29' },
            { name: 'Tier', type: 'text', value: 3 },
          ],
        },
      })
      .expect(201);
    const values = res.body.options.custom_fields.map((field: { value: unknown }) => field.value);
    expect(values).toEqual(['12', '0.75', 'false', '2024-02-29', '3']);
    expect((await client.get(`/customer/${res.body.id}`).expect(200)).body.options).toEqual(res.body.options);

    const before = await rowCounts(h());
    const bad = await client
      .post('/customer', { company: 'Acme', options: { custom_fields: [{ name: 'Seats', type: 'number', value: 'abc' }, { name: 'Due', type: 'date', value: '2023-02-29' }] } })
      .expect(422);
    expect(bad.body).toEqual({
      'options.custom_fields.0.value': ['The options.custom_fields.0.value must be a number.'],
      'options.custom_fields.1.value': ['The options.custom_fields.1.value is not a valid date.'],
    });
    expect(await rowCounts(h())).toEqual(before);
  });

  it('keeps custom fields on their own customer record', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const withFields = await client.post('/customer', { firstname: 'A', options: { custom_fields: [{ name: 'Locker', type: 'text', value: '12B' }] } }).expect(201);
    const without = await client.post('/customer', { firstname: 'B' }).expect(201);
    expect(without.body.options).toBeNull();
    expect((await client.get(`/customer/${withFields.body.id}`)).body.options.custom_fields).toHaveLength(1);
  });

  it('creates a new record for duplicate details (same email), never merging', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const body = { firstname: 'Dup', email: 'dup@example.com' };
    const first = await client.post('/customer', body).expect(201);
    const second = await client.post('/customer', body).expect(201);
    expect(second.body.id).not.toBe(first.body.id);
    const list = await client.get('/customer?email=dup@example.com').expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.data.map((c: { id: string }) => c.id).sort()).toEqual([first.body.id, second.body.id].sort());
  });

  it('401 when the API key is missing or invalid, and nothing is written', async () => {
    const t = await staxTenant(h());
    const before = await rowCounts(h());
    for (const client of [stax(h(), null), stax(h(), 'not-a-key'), stax(h(), t.keys.exact)]) {
      const res = await client.post('/customer', { firstname: 'A' }).expect(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
    }
    expect(await rowCounts(h())).toEqual(before);
  });

  it('400 for a body that is not JSON', async () => {
    const t = await staxTenant(h());
    const res = await stax(h(), t.key).raw('post', '/customer').set('Content-Type', 'application/json').send('{"firstname":').expect(400);
    expect(res.body).toEqual({ error: 'Invalid JSON body.' });
  });
});

describeEachDatabase('stax S1 create customer: the contract example and field rules', (h) => {
  it('answers the documented example exactly', async () => {
    const t = await staxTenant(h());
    const res = await stax(h(), t.key).post('/customer', S1_EXAMPLE).expect(201);
    const { id, created_at, updated_at, ...rest } = res.body;
    expect(id).toMatch(UUID_V4);
    expect(created_at).toMatch(STAX_TIME);
    expect(updated_at).toBe(created_at);
    expect(rest).toEqual(S1_EXAMPLE_RESPONSE);
    expect(Object.keys(res.body)).toEqual(Object.keys({ id, ...S1_EXAMPLE_RESPONSE, created_at, updated_at }).sort((a, b) => KEY_ORDER.indexOf(a) - KEY_ORDER.indexOf(b)));
  });

  it('writes timestamps in UTC as YYYY-MM-DD HH:MM:SS', async () => {
    const t = await staxTenant(h());
    h().setNow(Date.UTC(2024, 4, 10, 19, 29, 49, 512));
    try {
      const res = await stax(h(), t.key).post('/customer', { firstname: 'T' }).expect(201);
      expect([res.body.created_at, res.body.updated_at]).toEqual(['2024-05-10 19:29:49', '2024-05-10 19:29:49']);
    } finally {
      h().setNow(null);
    }
  });

  it('reports every failing field at once with the catalogue messages, writing nothing', async () => {
    const t = await staxTenant(h());
    const before = await rowCounts(h());
    const res = await stax(h(), t.key)
      .post('/customer', {
        firstname: 'F'.repeat(51),
        email: 'john at example.com',
        company: 12,
        phone: '555-01',
        address_country: 'US',
        address_zip: '1'.repeat(17),
        notes: 'n'.repeat(5001),
        cc_emails: ['ok@example.com', 'broken'],
        cc_sms: Array.from({ length: 11 }, () => '4075550123'),
        options: { custom_fields: [{ name: 'VIP', type: 'boolean', value: 'maybe' }] },
        allow_invoice_credit_card_payments: 'sometimes',
      })
      .expect(422);
    expect(res.body).toEqual({
      firstname: ['The firstname may not be greater than 50 characters.'],
      email: ['The email must be a valid email address.'],
      company: ['The company must be a string.'],
      phone: ['The phone format is invalid.'],
      address_country: [COUNTRY],
      address_zip: ['The address zip may not be greater than 16 characters.'],
      notes: ['The notes may not be greater than 5000 characters.'],
      'cc_emails.1': ['The cc_emails.1 must be a valid email address.'],
      cc_sms: ['The cc sms may not have more than 10 items.'],
      'options.custom_fields.0.value': ['The options.custom_fields.0.value field must be true or false.'],
      allow_invoice_credit_card_payments: ['The allow invoice credit card payments field must be true or false.'],
    });
    expect(await rowCounts(h())).toEqual(before);
  });

  it('answers the documented 422 examples (§3.3, §8.6)', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    expect((await client.post('/customer', { address_country: 'US' }).expect(422)).body).toEqual({ firstname: [AT_LEAST_ONE], address_country: [COUNTRY] });
    expect((await client.post('/customer', { firstname: 'A', options: { custom_fields: [{ name: 'Seats', type: 'number', value: 'abc' }] } }).expect(422)).body).toEqual({
      'options.custom_fields.0.value': ['The options.custom_fields.0.value must be a number.'],
    });
  });

  it('answers HEAD like GET, without a body', async () => {
    const t = await staxTenant(h());
    const res = await stax(h(), t.key).raw('get', '/customer').expect(200);
    expect(res.body.total).toBe(0);
    const head = await request(h().app).head('/stax/customer').set('Authorization', `Bearer ${t.key}`).expect(200);
    expect(head.text ?? '').toBe('');
  });

  it('trims strings, ignores unknown and read-only fields, and keeps other options keys as given', async () => {
    const t = await staxTenant(h());
    const res = await stax(h(), t.key)
      .post('/customer', {
        id: '00000000-0000-4000-8000-000000000000',
        merchant_id: 'x',
        created_at: '2000-01-01 00:00:00',
        firstname: '  Jane ',
        phone: ' +1 (407) 555-0123 ',
        notes: 'VIP',
        unknown_field: true,
        options: { theme: 'dark', nested: { a: [1, 2] }, custom_fields: [{ name: 'Seats', type: 'number', value: 2, unit: 'desk' }] },
      })
      .expect(201);
    expect(res.body.id).not.toBe('00000000-0000-4000-8000-000000000000');
    expect(res.body).toMatchObject({ firstname: 'Jane', phone: '+1 (407) 555-0123', notes: 'VIP' });
    expect(res.body.created_at).not.toBe('2000-01-01 00:00:00');
    expect(res.body).not.toHaveProperty('unknown_field');
    expect(res.body).not.toHaveProperty('merchant_id');
    expect(res.body.options).toEqual({ theme: 'dark', nested: { a: [1, 2] }, custom_fields: [{ name: 'Seats', type: 'number', value: '2', unit: 'desk' }] });
  });
});

const KEY_ORDER = [
  'id',
  'firstname',
  'lastname',
  'company',
  'email',
  'cc_emails',
  'cc_sms',
  'phone',
  'address_1',
  'address_2',
  'address_city',
  'address_state',
  'address_zip',
  'address_country',
  'notes',
  'reference',
  'options',
  'created_at',
  'updated_at',
  'deleted_at',
  'allow_invoice_credit_card_payments',
  'gravatar',
  'parent_merge',
  'child_merges',
];

describeEachDatabase('stax S2 list customers', (h) => {
  it('answers the documented paginator example (5 customers, per_page=2, page=2)', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const days = [11, 10, 9, 8, 7];
    const bodies = [{ firstname: 'Eve' }, { firstname: 'Dan' }, { firstname: 'hello', lastname: 'bob' }, { company: 'Acme Supply' }, { firstname: 'Al' }];
    try {
      for (let i = 0; i < bodies.length; i++) {
        h().setNow(Date.UTC(2024, 0, days[i], i === 2 ? 19 : 8, i === 2 ? 29 : 2, i === 2 ? 49 : 11));
        await client.post('/customer', bodies[i]).expect(201);
      }
    } finally {
      h().setNow(null);
    }
    const res = await client.get('/customer?per_page=2&page=2').set('Host', 'vault.example.com').expect(200);
    const base = 'http://vault.example.com/stax/customer';
    expect({ ...res.body, data: undefined }).toEqual({
      current_page: 2,
      data: undefined,
      first_page_url: `${base}?per_page=2&page=1`,
      from: 3,
      last_page: 3,
      last_page_url: `${base}?per_page=2&page=3`,
      next_page_url: `${base}?per_page=2&page=3`,
      path: base,
      per_page: 2,
      prev_page_url: `${base}?per_page=2&page=1`,
      to: 4,
      total: 5,
    });
    expect(Object.keys(res.body)).toEqual([
      'current_page',
      'data',
      'first_page_url',
      'from',
      'last_page',
      'last_page_url',
      'next_page_url',
      'path',
      'per_page',
      'prev_page_url',
      'to',
      'total',
    ]);
    const [first, second] = res.body.data;
    expect({ ...first, id: undefined }).toEqual({
      id: undefined,
      firstname: 'hello',
      lastname: 'bob',
      company: '',
      email: '',
      cc_emails: null,
      cc_sms: null,
      phone: '',
      address_1: '',
      address_2: '',
      address_city: '',
      address_state: '',
      address_zip: '',
      address_country: '',
      notes: null,
      reference: '',
      options: null,
      created_at: '2024-01-09 19:29:49',
      updated_at: '2024-01-09 19:29:49',
      deleted_at: null,
      allow_invoice_credit_card_payments: true,
      gravatar: false,
      parent_merge: null,
      child_merges: [],
    });
    expect(second).toMatchObject({ firstname: '', lastname: '', company: 'Acme Supply', created_at: '2024-01-08 08:02:11', gravatar: false });
    const past = await client.get('/customer?per_page=2&page=9').expect(200);
    expect(past.body).toMatchObject({ current_page: 9, data: [], from: null, to: null, last_page: 3, next_page_url: null });
  });

  it('filters exactly ignoring case, searches keywords[] (AND, across names, company, email, phone, reference)', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    await client.post('/customer', { firstname: 'John', lastname: 'Smith', email: 'JOHN@example.com', reference: 'crm-1' }).expect(201);
    await client.post('/customer', { firstname: 'Johnny', lastname: 'Smithers', company: 'Acme', phone: '4075550123' }).expect(201);
    await client.post('/customer', { firstname: 'Mary', company: 'Smith & Co', reference: 'crm-2' }).expect(201);
    const names = async (query: string) => ((await client.get(`/customer?${query}`).expect(200)).body.data as Array<{ firstname: string }>).map((c) => c.firstname).sort();
    expect(await names('firstname=JOHN')).toEqual(['John']);
    expect(await names('email=john@EXAMPLE.com')).toEqual(['John']);
    expect(await names('firstname=')).toEqual(['John', 'Johnny', 'Mary']);
    expect(await names('keywords[]=smith')).toEqual(['John', 'Johnny', 'Mary']);
    expect(await names('keywords[]=smith&keywords[]=crm')).toEqual(['John', 'Mary']);
    // A keyword may span "firstname lastname".
    expect(await names('keywords[]=john%20smith')).toEqual(['John']);
    expect(await names('keywords[]=NNY+SMITH')).toEqual(['Johnny']);
    expect(await names('keywords=5550123')).toEqual(['Johnny']);
    expect(await names('keywords[]=acme&company=acme')).toEqual(['Johnny']);
  });

  it('sorts by the allowed fields ignoring case, falls back to created_at DESC, caps per_page at 200', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    try {
      let minute = 0;
      for (const firstname of ['bravo', 'Alpha', 'charlie']) {
        h().setNow(Date.UTC(2024, 0, 1, 0, minute++));
        await client.post('/customer', { firstname }).expect(201);
      }
    } finally {
      h().setNow(null);
    }
    const order = async (query: string) => ((await client.get(`/customer?${query}`).expect(200)).body.data as Array<{ firstname: string }>).map((c) => c.firstname);
    expect(await order('sort=firstname&order=asc')).toEqual(['Alpha', 'bravo', 'charlie']);
    expect(await order('sort=firstname&order=DESC')).toEqual(['charlie', 'bravo', 'Alpha']);
    expect(await order('')).toEqual(['charlie', 'Alpha', 'bravo']);
    expect(await order('sort=password&order=sideways')).toEqual(['charlie', 'Alpha', 'bravo']);
    const capped = await client.get('/customer?per_page=5000&page=-3').expect(200);
    expect([capped.body.per_page, capped.body.current_page]).toEqual([200, 1]);
    const fallback = await client.get('/customer?per_page=abc').expect(200);
    expect(fallback.body.per_page).toBe(50);
  });

  it('shows only the tenant’s own customers', async () => {
    const mine = await staxTenant(h());
    const other = await staxTenant(h());
    await stax(h(), other.key).post('/customer', { firstname: 'Foreign' }).expect(201);
    await stax(h(), mine.key).post('/customer', { firstname: 'Mine' }).expect(201);
    const res = await stax(h(), mine.key).get('/customer').expect(200);
    expect(res.body.data.map((c: { firstname: string }) => c.firstname)).toEqual(['Mine']);
  });
});

describeEachDatabase('stax S3–S6 read, update, delete and restore', (h) => {
  it('S3: reads a customer by id in any case; unknown, malformed and foreign ids answer the same 404', async () => {
    const t = await staxTenant(h());
    const other = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer', S1_EXAMPLE).expect(201);
    expect((await client.get(`/customer/${created.body.id.toUpperCase()}`).expect(200)).body).toEqual(created.body);
    const foreign = await stax(h(), other.key).post('/customer', { firstname: 'F' }).expect(201);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', foreign.body.id]) {
      const res = await client.get(`/customer/${id}`).expect(404);
      expect(res.body).toEqual({ error: 'Customer not found' });
    }
  });

  it('S4: documented partial update changes only the fields sent', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer', S1_EXAMPLE).expect(201);
    const res = await client.put(`/customer/${created.body.id}`, { phone: '4075550123', address_zip: '32803' }).expect(200);
    expect(res.body).toEqual({ ...created.body, phone: '4075550123', address_zip: '32803', updated_at: res.body.updated_at });
  });

  it('S4: replaces options as a whole, checks the at-least-one rule on the result, and leaves updated_at alone when nothing changes', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    try {
      h().setNow(Date.UTC(2024, 4, 10, 19, 29, 49));
      const created = await client.post('/customer', S1_EXAMPLE).expect(201);
      const id = created.body.id;
      h().setNow(Date.UTC(2024, 5, 1, 8, 15, 0));
      const same = await client.put(`/customer/${id}`, { firstname: 'John', address_country: 'usa', options: S1_EXAMPLE.options, unknown: 1 }).expect(200);
      expect(same.body.updated_at).toBe('2024-05-10 19:29:49');
      expect(same.body).toEqual(created.body);

      const replaced = await client.put(`/customer/${id}`, { options: { theme: 'light' } }).expect(200);
      expect(replaced.body.options).toEqual({ theme: 'light' });
      expect(replaced.body.updated_at).toBe('2024-06-01 08:15:00');

      const before = await client.get(`/customer/${id}`).expect(200);
      const refused = await client.put(`/customer/${id}`, { firstname: '', lastname: null, email: '', company: '', phone: 'x' }).expect(422);
      expect(refused.body).toEqual({ firstname: [AT_LEAST_ONE], phone: ['The phone format is invalid.'] });
      expect((await client.get(`/customer/${id}`).expect(200)).body).toEqual(before.body);

      const cleared = await client.put(`/customer/${id}`, { options: null, cc_emails: null, notes: 'later', address_1: '', email: '' }).expect(200);
      expect(cleared.body).toMatchObject({ options: null, cc_emails: null, notes: 'later', address_1: '', email: '', gravatar: false });
    } finally {
      h().setNow(null);
    }
  });

  it('S4: creates the address when the customer had none', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer', { firstname: 'NoAddress' }).expect(201);
    expect(created.body.address_1).toBe('');
    const res = await client.put(`/customer/${created.body.id}`, { address_1: '9 Elm St', address_country: 'CAN' }).expect(200);
    expect(res.body).toMatchObject({ address_1: '9 Elm St', address_country: 'CAN', address_city: '' });
  });

  it('S5/S6: soft delete returns the deleted customer; it stays readable, leaves the list, cannot change; restore brings it back', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    try {
      h().setNow(Date.UTC(2024, 4, 10, 19, 29, 49));
      const created = await client.post('/customer', { ...S1_EXAMPLE, options: null }).expect(201);
      const id = created.body.id;
      await client.post('/payment-method', { method: 'card', customer_id: id, card_number: '4111111111111111', card_exp: '0439' }).expect(200);
      h().setNow(Date.UTC(2024, 5, 1, 8, 15, 0));
      const deleted = await client.delete(`/customer/${id}`).expect(200);
      // The documented S5 response (§4.6).
      expect(deleted.body).toEqual({
        ...S1_EXAMPLE_RESPONSE,
        id,
        options: null,
        created_at: '2024-05-10 19:29:49',
        updated_at: '2024-06-01 08:15:00',
        deleted_at: '2024-06-01 08:15:00',
      });
      expect((await client.get(`/customer/${id}`).expect(200)).body).toEqual(deleted.body);
      expect((await client.get('/customer').expect(200)).body.total).toBe(0);
      expect((await client.get('/customer?include_deleted=1').expect(200)).body.data[0].id).toBe(id);
      expect((await client.get(`/customer/${id}/payment-method`).expect(200)).body).toHaveLength(1);
      expect((await client.put(`/customer/${id}`, { firstname: 'X' }).expect(404)).body).toEqual({ error: 'Customer not found' });
      expect((await client.delete(`/customer/${id}`).expect(404)).body).toEqual({ error: 'Customer not found' });
      const refused = await client.post('/payment-method', { method: 'card', customer_id: id, card_number: '4111111111111111', card_exp: '0439' }).expect(422);
      expect(refused.body).toEqual({ customer_id: ['The selected customer id is invalid.'] });

      h().setNow(Date.UTC(2024, 5, 2, 9, 0, 0));
      const restored = await client.put(`/customer/${id}/restore`, { ignored: true }).expect(200);
      expect(restored.body).toMatchObject({ deleted_at: null, updated_at: '2024-06-02 09:00:00', firstname: 'John' });
      h().setNow(Date.UTC(2024, 5, 3, 9, 0, 0));
      const again = await client.put(`/customer/${id}/restore`).expect(200);
      expect(again.body).toEqual(restored.body);
      expect((await client.get('/customer').expect(200)).body.total).toBe(1);
    } finally {
      h().setNow(null);
    }
  });

  it('S6: a body that is not a JSON object, or is over the size limit, is refused like on every other route; the customer stays deleted', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const id = (await client.post('/customer', { firstname: 'Gone' }).expect(201)).body.id;
    await client.delete(`/customer/${id}`).expect(200);
    const restore = (raw: string) => request(h().app).put(`/stax/customer/${id}/restore`).set('Authorization', `Bearer ${t.key}`).set('Content-Type', 'application/json').send(raw);
    for (const raw of ['{', '[]', '"restore"', '{"a":}']) {
      const res = await restore(raw);
      expect(`${raw}: ${res.status} ${res.text}`).toBe(`${raw}: 400 ${JSON.stringify({ error: 'Invalid JSON body.' })}`);
    }
    const huge = await restore(JSON.stringify({ filler: 'x'.repeat(8 * 1024 * 1024) }));
    expect(`${huge.status} ${huge.text}`).toBe(`413 ${JSON.stringify({ error: 'Payload too large' })}`);
    expect((await client.get(`/customer/${id}`).expect(200)).body.deleted_at).not.toBeNull();
  });

  it('S4–S6: unknown ids answer 404 and write nothing; the path resource is checked before validation', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const before = await rowCounts(h());
    const unknown = '2c1d6a1e-7f3b-4c55-9d7e-0a1b2c3d4e5f';
    expect((await client.put(`/customer/${unknown}`, { address_country: 'ZZZ' }).expect(404)).body).toEqual({ error: 'Customer not found' });
    expect((await client.delete(`/customer/${unknown}`).expect(404)).body).toEqual({ error: 'Customer not found' });
    expect((await client.put(`/customer/${unknown}/restore`).expect(404)).body).toEqual({ error: 'Customer not found' });
    expect((await client.get(`/customer/${unknown}/payment-method`).expect(404)).body).toEqual({ error: 'Customer not found' });
    // `DELETE /customer/bulk` reaches S5 (§1.2).
    expect((await client.delete('/customer/bulk').expect(404)).body).toEqual({ error: 'Customer not found' });
    expect(await rowCounts(h())).toEqual(before);
  });
});

/**
 * Exact customers, E1–E5 (contract §4.2–§4.6, §7.2, §8.2–§8.4, §8.8), through real HTTP on each database.
 * Every success and error body is checked against the provider's OpenAPI document (§4.16).
 */
import { describeEachDatabase } from '../../support/harness';
import { loadExactSpec } from './openapi';
import {
  exactClient,
  expectRequestId,
  fields,
  FOREIGN_OBJECT_ID,
  ISO_MS,
  issues,
  OBJECT_ID,
  rowCounts,
  SEED_CREATE_CUSTOMER,
  UUID_V4,
  vaultSnapshot,
  type ExactClient,
} from './support';

const spec = loadExactSpec();

function expectCustomerNotFound(res: { status: number; body: unknown }): void {
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ code: 'customer-not-found-error', message: 'customer-not-found', type: 'resource-not-found-error', requestId: expect.any(String) });
  spec.expectConforms('NotFoundError', res.body);
}

function expectValidation(res: { status: number; body: unknown }): void {
  expect(res.status).toBe(400);
  spec.expectConforms('validation_error', res.body);
}

describeEachDatabase('exact E1 create customer', (h) => {
  let c: ExactClient;
  beforeAll(async () => {
    c = await exactClient(h());
  });

  it('answers the documented example request, sent verbatim, with the documented response shape', async () => {
    const res = await c.call('post', '/customer', SEED_CREATE_CUSTOMER);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expectRequestId(res);
    spec.expectConforms('Customer', res.body);
    expect(res.body).toEqual({
      id: expect.stringMatching(OBJECT_ID),
      token: expect.stringMatching(UUID_V4),
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: res.body.createdAt,
      name: 'John Doe',
      email: 'john@example.com',
      phone: '5551234567',
      addresses: [{ label: 'Work', city: 'Scottsdale', country: 'USA', line1: '7272 Indian School Dr', postalCode: '85251', state: 'AZ', isDefault: true }],
    });
  });

  it('gives the id a time-ordered object id whose first four bytes are the creation time', async () => {
    const before = Math.floor(Date.now() / 1000);
    const body = await c.createCustomer({ name: 'Time Check' });
    const seconds = parseInt(String(body.id).slice(0, 8), 16);
    expect(seconds).toBeGreaterThanOrEqual(before - 1);
    expect(seconds).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
  });

  it('answers 201 on the partner route too', async () => {
    const res = await c.partner('post', '/customer', { name: 'Partner Made' });
    expect(res.status).toBe(201);
    spec.expectConforms('Customer', res.body);
    expect(res.body.name).toBe('Partner Made');
  });

  it('omits unset optional fields and always shows addresses', async () => {
    const body = await c.createCustomer({ name: 'Jane Roe' });
    expect(Object.keys(body).sort()).toEqual(['addresses', 'createdAt', 'id', 'name', 'token', 'updatedAt']);
    expect(body.addresses).toEqual([]);
  });

  it('ignores the read-only members so a fetched object can be sent again', async () => {
    const body = await c.createCustomer({ id: 'x', token: 'y', createdAt: 1, updatedAt: null, name: 'Copy Cat' });
    expect(body.id).not.toBe('x');
    expect(body.token).toMatch(UUID_V4);
  });

  it('never de-duplicates: the same body twice makes two customers', async () => {
    const a = await c.createCustomer();
    const b = await c.createCustomer();
    expect(a.id).not.toBe(b.id);
    expect(a.token).not.toBe(b.token);
  });

  it('reads countries as alpha-3, alpha-2 or English names in any case and answers alpha-3', async () => {
    const body = await c.createCustomer({
      name: 'Country Forms',
      addresses: [
        { label: 'a', country: 'us' },
        { label: 'b', country: 'United States of America' },
        { label: 'c', country: 'canada' },
        { label: 'd', country: 'gbr' },
        { label: 'e', country: 'South Korea' },
      ],
    });
    expect((body.addresses as Array<{ country: string }>).map((a) => a.country)).toEqual(['USA', 'USA', 'CAN', 'GBR', 'KOR']);
  });

  it('keeps strings exactly as sent and addresses in the order sent, labels not unique', async () => {
    const body = await c.createCustomer({ name: '  Spaced  ', phone: '(555) 123-4567', addresses: [{ label: 'Home', line1: ' 1 Main ' }, { label: 'Home', city: 'Mesa', isDefault: true }] });
    expect(body.name).toBe('  Spaced  ');
    expect(body.phone).toBe('(555) 123-4567');
    expect(body.addresses).toEqual([{ label: 'Home', line1: ' 1 Main ' }, { label: 'Home', city: 'Mesa', isDefault: true }]);
  });

  describe('refuses a body that breaks the rules, naming each field, writing nothing', () => {
    const cases: Array<[string, unknown, Array<[string, string]>]> = [
      ['missing name', { email: 'a@b.co' }, [['name', 'invalid_type']]],
      ['empty name', { name: '' }, [['name', 'too_small']]],
      ['name too long', { name: 'x'.repeat(256) }, [['name', 'too_big']]],
      ['name of the wrong type', { name: 42 }, [['name', 'invalid_type']]],
      ['bad email', { name: 'A', email: 'not an email' }, [['email', 'invalid_string']]],
      ['email without a dot in the domain', { name: 'A', email: 'a@b' }, [['email', 'invalid_string']]],
      ['phone too long', { name: 'A', phone: '1'.repeat(21) }, [['phone', 'too_big']]],
      ['unknown member', { name: 'A', zip: '1' }, [['zip', 'unrecognized_keys']]],
      ['address without label', { name: 'A', addresses: [{ city: 'Mesa' }] }, [['addresses.0.label', 'invalid_type']]],
      ['unknown address member', { name: 'A', addresses: [{ label: 'x', zip: '1' }] }, [['addresses.0.zip', 'unrecognized_keys']]],
      ['label too long', { name: 'A', addresses: [{ label: 'x'.repeat(51) }] }, [['addresses.0.label', 'too_big']]],
      ['line1 too long', { name: 'A', addresses: [{ label: 'x', line1: 'x'.repeat(101) }] }, [['addresses.0.line1', 'too_big']]],
      ['postal code too long', { name: 'A', addresses: [{ label: 'x', postalCode: '1'.repeat(17) }] }, [['addresses.0.postalCode', 'too_big']]],
      ['unknown country', { name: 'A', addresses: [{ label: 'x', country: 'Atlantis' }] }, [['addresses.0.country', 'invalid_string']]],
      ['numeric country code', { name: 'A', addresses: [{ label: 'x', country: '840' }] }, [['addresses.0.country', 'invalid_string']]],
      ['isDefault as a string', { name: 'A', addresses: [{ label: 'x', isDefault: 'true' }] }, [['addresses.0.isDefault', 'invalid_type']]],
      ['addresses not an array', { name: 'A', addresses: {} }, [['addresses', 'invalid_type']]],
      ['51 addresses', { name: 'A', addresses: Array.from({ length: 51 }, (_, i) => ({ label: `l${i}` })) }, [['addresses', 'too_big']]],
      ['a JSON array', [], [['', 'invalid_type']]],
      ['a JSON string', '"John"', [['', 'invalid_type']]],
      ['malformed JSON', '{"name": ', [['', 'invalid_type']]],
    ];
    it.each(cases)('%s', async (_title, body, expected) => {
      const before = await rowCounts(h());
      const res = await c.call('post', '/customer', body);
      expectValidation(res);
      expectRequestId(res);
      expect(issues(res).map((issue) => [issue.field, issue.type])).toEqual(expected);
      expect(await rowCounts(h())).toEqual(before);
    });
  });

  it('reports every problem of one body together, in body order', async () => {
    const res = await c.call('post', '/customer', {
      email: 'bad',
      addresses: [{ label: '', country: 'Nowhere' }, { line1: 5 }],
      phone: '',
      extra: true,
    });
    expectValidation(res);
    expect(issues(res).map((issue) => [issue.field, issue.type])).toEqual([
      ['email', 'invalid_string'],
      ['addresses.0.label', 'too_small'],
      ['addresses.0.country', 'invalid_string'],
      ['addresses.1.line1', 'invalid_type'],
      ['addresses.1.label', 'invalid_type'],
      ['phone', 'too_small'],
      ['extra', 'unrecognized_keys'],
      ['name', 'invalid_type'],
    ]);
    expect(issues(res)[3].details).toEqual(['Expected string, received number']);
    expect(issues(res)[7].details).toEqual(['Required']);
  });

  it('asks for a body when there is none', async () => {
    const res = await c.call('post', '/customer');
    expect(issues(res)).toEqual([{ field: '', type: 'invalid_type', details: ['Required'] }]);
  });

  it('names malformed JSON as a body problem', async () => {
    const res = await c.call('post', '/customer', '{oops');
    expect(issues(res)).toEqual([{ field: '', type: 'invalid_type', details: ['Malformed JSON body'] }]);
  });

  it('reads the body as JSON whatever the Content-Type says', async () => {
    const res = await (await import('supertest')).default(h().app).post('/exact/customer').set('Authorization', c.key).set('Content-Type', 'text/plain').send(JSON.stringify({ name: 'Plain Text' }));
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Plain Text');
  });
});

describeEachDatabase('exact E2 list customers', (h) => {
  let c: ExactClient;
  const made: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    c = await exactClient(h());
    const base = Date.UTC(2024, 0, 1);
    const bodies = [
      { name: 'Carol Zed', email: 'carol@example.com', phone: '3' },
      { name: 'alice Young', email: 'alice@example.com' },
      { name: 'Bob Xavier', phone: '1' },
      { name: 'Bob Xavier', email: 'bob2@example.com', phone: '2' },
      { name: 'Dave', email: 'Alice@example.com' },
    ];
    for (const [i, body] of bodies.entries()) {
      h().setNow(base + i * 1000);
      made.push(await c.createCustomer(body));
    }
    h().setNow(null);
    // Another tenant's customers never show up.
    const other = await exactClient(h());
    await other.createCustomer({ name: 'Bob Xavier' });
  });

  const names = (body: Array<{ name: string }>) => body.map((customer) => customer.name);

  it('answers a plain array, oldest first, with X-Total-Count', async () => {
    const res = await c.call('get', '/customer');
    expect(res.status).toBe(200);
    expectRequestId(res);
    spec.expectEachConforms('Customer', res.body);
    expect(res.headers['x-total-count']).toBe('5');
    expect(res.body.map((customer: { id: string }) => customer.id)).toEqual(made.map((customer) => customer.id));
    expect(res.body[0]).toEqual(made[0]);
  });

  it('serves the same data on the partner route', async () => {
    const res = await c.partner('get', '/customer');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(5);
  });

  it('pages with $limit and $skip; the total is before paging', async () => {
    const first = await c.call('get', '/customer?$limit=2');
    const second = await c.call('get', '/customer?$limit=2&$skip=2');
    const past = await c.call('get', '/customer?$skip=50');
    expect(first.body.map((x: { id: string }) => x.id)).toEqual([made[0].id, made[1].id]);
    expect(second.body.map((x: { id: string }) => x.id)).toEqual([made[2].id, made[3].id]);
    expect(past.body).toEqual([]);
    for (const res of [first, second, past]) expect(res.headers['x-total-count']).toBe('5');
  });

  it('answers $limit=0 with no items and the total; reduces large limits to 1000', async () => {
    const zero = await c.call('get', '/customer?$limit=0');
    expect(zero.body).toEqual([]);
    expect(zero.headers['x-total-count']).toBe('5');
    const large = await c.call('get', '/customer?$limit=5000');
    expect(large.status).toBe(200);
    expect(large.body).toHaveLength(5);
  });

  it.each([
    ['$limit=-1', '$limit', 'too_small'],
    ['$limit=abc', '$limit', 'invalid_type'],
    ['$limit=1.5', '$limit', 'invalid_type'],
    ['$skip=-3', '$skip', 'too_small'],
    ['$skip=x', '$skip', 'invalid_type'],
  ])('refuses %s naming the parameter', async (query, field, type) => {
    const res = await c.call('get', `/customer?${query}`);
    expectValidation(res);
    expect(issues(res).map((issue) => [issue.field, issue.type])).toEqual([[field, type]]);
  });

  it.each([
    ['field:desc', '$sort=name:desc'],
    ['-field', '$sort=-name'],
    ['object form', '$sort[name]=-1'],
    ['object form with words', '$sort[name]=descending'],
  ])('sorts with the %s form, case-sensitively, id as tie-breaker', async (_form, query) => {
    const res = await c.call('get', `/customer?${query}`);
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['alice Young', 'Dave', 'Carol Zed', 'Bob Xavier', 'Bob Xavier']);
    expect(res.body[3].id < res.body[4].id).toBe(true);
  });

  it('sorts by several keys and ignores unknown fields', async () => {
    const res = await c.call('get', '/customer?$sort=bogus:asc,name:asc,createdAt:desc');
    expect(names(res.body)).toEqual(['Bob Xavier', 'Bob Xavier', 'Carol Zed', 'Dave', 'alice Young']);
    expect(res.body[0].id).toBe(made[3].id);
    const spaced = await c.call('get', '/customer?$sort=' + encodeURIComponent('phone -createdAt'));
    // Customers without a phone sort first in ascending order.
    expect(res.status).toBe(200);
    expect(spaced.body.map((x: { phone?: string }) => x.phone ?? null)).toEqual([null, null, '1', '2', '3']);
    expect(spaced.body[0].id).toBe(made[4].id);
  });

  it('filters on exact, case-sensitive name, email and phone, combined with AND', async () => {
    const byName = await c.call('get', '/customer?name=' + encodeURIComponent('Bob Xavier'));
    expect(byName.headers['x-total-count']).toBe('2');
    expect(byName.body.map((x: { id: string }) => x.id)).toEqual([made[2].id, made[3].id]);
    const byEmail = await c.call('get', '/customer?email=alice@example.com');
    expect(byEmail.body.map((x: { id: string }) => x.id)).toEqual([made[1].id]);
    const both = await c.call('get', '/customer?name=' + encodeURIComponent('Bob Xavier') + '&phone=2');
    expect(both.body.map((x: { id: string }) => x.id)).toEqual([made[3].id]);
    const none = await c.call('get', '/customer?name=bob%20xavier');
    expect(none.body).toEqual([]);
    expect(none.headers['x-total-count']).toBe('0');
    const paged = await c.call('get', '/customer?name=' + encodeURIComponent('Bob Xavier') + '&$skip=1');
    expect(paged.body.map((x: { id: string }) => x.id)).toEqual([made[3].id]);
    expect(paged.headers['x-total-count']).toBe('2');
  });

  it('ignores other query parameters', async () => {
    const res = await c.call('get', '/customer?foo=bar&$select=name');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(5);
  });
});

describeEachDatabase('exact E3 get customer', (h) => {
  let c: ExactClient;
  let created: Record<string, unknown>;
  beforeAll(async () => {
    c = await exactClient(h());
    created = await c.createCustomer();
  });

  it('answers the customer as created, on both route families, whatever the id case', async () => {
    for (const res of [await c.call('get', `/customer/${created.id}`), await c.partner('get', `/customer/${String(created.id).toUpperCase()}`)]) {
      expect(res.status).toBe(200);
      expectRequestId(res);
      spec.expectConforms('Customer', res.body);
      expect(res.body).toEqual(created);
    }
  });

  it('answers 404 customer-not-found for unknown, malformed and other tenants\' ids alike', async () => {
    const other = await exactClient(h());
    const foreign = await other.createCustomer();
    for (const id of [FOREIGN_OBJECT_ID, 'nope', '64af8f090674c4d267779e4', String(foreign.id)]) {
      const res = await c.call('get', `/customer/${id}`);
      expectCustomerNotFound(res);
      expectRequestId(res);
    }
  });
});

describeEachDatabase('exact E4 update customer', (h) => {
  let c: ExactClient;
  beforeAll(async () => {
    c = await exactClient(h());
  });
  afterEach(() => h().setNow(null));

  async function fresh(body: unknown = SEED_CREATE_CUSTOMER): Promise<Record<string, unknown>> {
    h().setNow(Date.UTC(2024, 4, 1, 12));
    const created = await c.createCustomer(body);
    h().setNow(Date.UTC(2024, 4, 2, 12));
    return created;
  }

  const get = async (id: unknown) => (await c.call('get', `/customer/${String(id)}`)).body;

  it('form A (documented example, verbatim): replaces phone and the whole address list, answers 204', async () => {
    const created = await fresh();
    const res = await c.call('put', `/customer/${created.id}`, {
      phone: '5559876543',
      addresses: [{ label: 'Home', line1: '1 Main St', city: 'Mesa', state: 'AZ', postalCode: '85201', country: 'US' }],
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectRequestId(res);
    const after = await get(created.id);
    expect(after).toEqual({
      ...created,
      phone: '5559876543',
      updatedAt: '2024-05-02T12:00:00.000Z',
      addresses: [{ label: 'Home', line1: '1 Main St', city: 'Mesa', state: 'AZ', postalCode: '85201', country: 'USA' }],
    });
  });

  it('form B (documented example, verbatim): $set and $push', async () => {
    const created = await fresh();
    const res = await c.call('put', `/customer/${created.id}`, {
      $set: { email: 'john.doe@example.com' },
      $push: { addresses: { label: 'Home', line1: '1 Main St', city: 'Mesa', state: 'AZ', postalCode: '85201', country: 'USA' } },
    });
    expect(res.status).toBe(204);
    const after = await get(created.id);
    expect(after.email).toBe('john.doe@example.com');
    expect(after.addresses).toEqual([...(created.addresses as unknown[]), { label: 'Home', line1: '1 Main St', city: 'Mesa', state: 'AZ', postalCode: '85201', country: 'USA' }]);
  });

  it('form B (documented example, verbatim): $pull removes every address with the label', async () => {
    const created = await fresh({ name: 'Pull Me', addresses: [{ label: 'Work', city: 'A' }, { label: 'Home', city: 'B' }, { label: 'Work', city: 'C' }, { label: 'work', city: 'D' }] });
    const res = await c.call('put', `/customer/${created.id}`, { $pull: { addresses: { label: 'Work' } } });
    expect(res.status).toBe(204);
    expect((await get(created.id)).addresses).toEqual([{ label: 'Home', city: 'B' }, { label: 'work', city: 'D' }]);
  });

  it('$push with $each appends several; $unset removes; null removes', async () => {
    const created = await fresh();
    await c.call('put', `/customer/${created.id}`, { $push: { addresses: { $each: [{ label: 'A' }, { label: 'B' }] } } }).expect(204);
    expect((await get(created.id)).addresses.map((a: { label: string }) => a.label)).toEqual(['Work', 'A', 'B']);
    await c.call('put', `/customer/${created.id}`, { $unset: { email: '', phone: 1 } }).expect(204);
    const unset = await get(created.id);
    expect(unset.email).toBeUndefined();
    expect(unset.phone).toBeUndefined();
    await c.call('put', `/customer/${created.id}`, { addresses: null, email: 'new@example.com' }).expect(204);
    const cleared = await get(created.id);
    expect(cleared.addresses).toEqual([]);
    expect(cleared.email).toBe('new@example.com');
  });

  it('answers 304 without touching updatedAt when nothing changes', async () => {
    const created = await fresh();
    const unchanged = [
      {},
      { $set: {} },
      created,
      { name: 'John Doe', email: 'john@example.com' },
      { $pull: { addresses: { label: 'Nope' } } },
      { addresses: SEED_CREATE_CUSTOMER.addresses },
      { $set: { addresses: [{ ...SEED_CREATE_CUSTOMER.addresses[0], country: 'us' }] } },
    ];
    for (const body of unchanged) {
      const res = await c.call('put', `/customer/${created.id}`, body);
      expect(res.status).toBe(304);
      expectRequestId(res);
    }
    expect(await get(created.id)).toEqual(created);
  });

  it('changes the name through the canonical names and leaves id, token and payment methods alone', async () => {
    const created = await fresh();
    const pm = await c.tokenize();
    await c.call('post', `/customer/${created.id}/payment-method`, { token: pm.token }).expect(201);
    await c.call('put', `/customer/${created.id}`, { name: 'Mary Ann Smith' }).expect(204);
    const after = await get(created.id);
    expect(after.name).toBe('Mary Ann Smith');
    expect(after.id).toBe(created.id);
    expect(after.token).toBe(created.token);
    const methods = await c.call('get', `/customer/${created.id}/payment-method`);
    expect(methods.body.map((m: { token: string }) => m.token)).toEqual([pm.token]);
  });

  it('keeps a name exactly as sent, and sending it again changes nothing', async () => {
    const created = await fresh();
    await c.call('put', `/customer/${created.id}`, { name: ' John  Doe ' }).expect(204);
    expect((await get(created.id)).name).toBe(' John  Doe ');
    await c.call('put', `/customer/${created.id}`, { name: ' John  Doe ' }).expect(304);
    await c.call('put', `/customer/${created.id}`, { $set: { name: 'John Doe' } }).expect(204);
    expect((await get(created.id)).name).toBe('John Doe');
  });

  it('works on the partner route', async () => {
    const created = await fresh();
    await c.partner('put', `/customer/${created.id}`, { phone: '1' }).expect(204);
    expect((await get(created.id)).phone).toBe('1');
  });

  describe('refuses bad updates naming the field, writing nothing', () => {
    const cases: Array<[string, unknown, Array<[string, string]>]> = [
      ['null name', { name: null }, [['name', 'invalid_type']]],
      ['empty name', { name: '' }, [['name', 'too_small']]],
      ['unknown member', { nickname: 'x' }, [['nickname', 'unrecognized_keys']]],
      ['unsupported operator', { $inc: { phone: 1 } }, [['$inc', 'unrecognized_keys']]],
      ['operators mixed with plain fields', { $set: { phone: '1' }, email: 'a@b.co', name: 'x' }, [['email', 'unrecognized_keys']]],
      ['conflicting operators', { $set: { addresses: [] }, $push: { addresses: { label: 'x' } } }, [['$push.addresses', 'custom']]],
      ['$unset name', { $unset: { name: '' } }, [['$unset.name', 'custom']]],
      ['$set of a read-only member', { $set: { token: 'x' } }, [['$set.token', 'unrecognized_keys']]],
      ['$push on email', { $push: { email: 'a@b.co' } }, [['$push.email', 'unrecognized_keys']]],
      ['dotted path', { $set: { 'addresses.0.city': 'Mesa' } }, [['$set.addresses.0.city', 'unrecognized_keys']]],
      ['$push address without label', { $push: { addresses: { line1: 'x' } } }, [['$push.addresses.label', 'invalid_type']]],
      ['$push $each item problem', { $push: { addresses: { $each: [{ label: 'a' }, { label: 'b', line1: 7 }] } } }, [['$push.addresses.$each.1.line1', 'invalid_type']]],
      ['$pull without label', { $pull: { addresses: { city: 'x' } } }, [['$pull.addresses.city', 'unrecognized_keys'], ['$pull.addresses.label', 'invalid_type']]],
      ['$set email invalid', { $set: { email: 'nope' } }, [['$set.email', 'invalid_string']]],
      ['operator operand not an object', { $set: 'x' }, [['$set', 'invalid_type']]],
      ['body an array', [], [['', 'invalid_type']]],
    ];
    it.each(cases)('%s', async (_title, body, expected) => {
      const created = await fresh();
      const before = await vaultSnapshot(h());
      const res = await c.call('put', `/customer/${created.id}`, body);
      expectValidation(res);
      expect(issues(res).map((issue) => [issue.field, issue.type])).toEqual(expected);
      expect(await vaultSnapshot(h())).toEqual(before);
    });
  });

  it('explains the operator problems in words', async () => {
    const created = await fresh();
    const res = await c.call('put', `/customer/${created.id}`, { $inc: { a: 1 }, $unset: { name: 1 } });
    expect(issues(res)).toEqual([
      { field: '$inc', type: 'unrecognized_keys', details: ['Unsupported update operator: $inc'] },
      { field: '$unset.name', type: 'custom', details: ['name cannot be removed'] },
    ]);
    const mixed = await c.call('put', `/customer/${created.id}`, { phone: '1', $set: {} });
    expect(issues(mixed)).toEqual([{ field: 'phone', type: 'unrecognized_keys', details: ['Cannot mix update operators with plain fields'] }]);
    const conflict = await c.call('put', `/customer/${created.id}`, { $set: { email: 'a@b.co' }, $unset: { email: 1 } });
    expect(issues(conflict)).toEqual([{ field: '$unset.email', type: 'custom', details: ['Conflicting update operators for email'] }]);
  });

  it('checks the 50-address limit on the result of $push', async () => {
    const created = await fresh({ name: 'Full', addresses: Array.from({ length: 49 }, (_, i) => ({ label: `l${i}` })) });
    const before = await vaultSnapshot(h());
    const res = await c.call('put', `/customer/${created.id}`, { $push: { addresses: { $each: [{ label: 'x' }, { label: 'y' }] } } });
    expectValidation(res);
    expect(fields(res)).toEqual(['$push.addresses']);
    expect(issues(res)[0].type).toBe('too_big');
    expect(await vaultSnapshot(h())).toEqual(before);
    await c.call('put', `/customer/${created.id}`, { $push: { addresses: { label: 'last' } } }).expect(204);
  });

  it('answers 404 for an unknown customer, after validating the body', async () => {
    expectCustomerNotFound(await c.call('put', `/customer/${FOREIGN_OBJECT_ID}`, { phone: '1' }));
    expectValidation(await c.call('put', `/customer/${FOREIGN_OBJECT_ID}`, { phone: 1 }));
  });
});

describeEachDatabase('exact E5 delete customer', (h) => {
  it('answers 204, after which the customer, its id and its token answer 404 everywhere', async () => {
    const c = await exactClient(h());
    const created = await c.createCustomer();
    const keep = await c.createCustomer({ name: 'Keep Me' });
    const pm = await c.tokenize();
    await c.call('post', `/customer/${created.id}/payment-method`, { token: pm.token, label: 'Mine' }).expect(201);

    const res = await c.call('delete', `/customer/${created.id}`);
    expect(res.status).toBe(204);
    expectRequestId(res);

    expectCustomerNotFound(await c.call('get', `/customer/${created.id}`));
    expectCustomerNotFound(await c.call('put', `/customer/${created.id}`, { phone: '1' }));
    expectCustomerNotFound(await c.call('delete', `/customer/${created.id}`));
    expectCustomerNotFound(await c.call('get', `/customer/${created.id}/payment-method`));
    expectCustomerNotFound(await c.call('get', `/customer-token/${created.token}/payment-method`));
    const lookUp = await c.call('get', `/payment-method/${created.token}`);
    expect(lookUp.status).toBe(404);
    expect(lookUp.body.code).toBe('payment-method-not-found-error');
    const list = await c.call('get', '/customer');
    expect(list.body.map((x: { id: string }) => x.id)).toEqual([keep.id]);

    // Its payment method is an unattached token now: still works, no label, no isDefault, can be attached elsewhere.
    const token = await c.call('get', `/payment-method/${pm.token}`);
    expect(token.status).toBe(200);
    expect(token.body.label).toBeUndefined();
    expect(token.body.isDefault).toBeUndefined();
    const moved = await c.call('post', `/customer/${keep.id}/payment-method`, { token: pm.token });
    expect(moved.status).toBe(201);
    expect(moved.body.isDefault).toBe(true);
    expect(moved.body.label).toBeUndefined();
  });

  it('answers 404 on the partner route for another tenant\'s customer', async () => {
    const c = await exactClient(h());
    const other = await exactClient(h());
    const foreign = await other.createCustomer();
    expectCustomerNotFound(await c.partner('delete', `/customer/${foreign.id}`));
    expect((await other.call('get', `/customer/${foreign.id}`)).status).toBe(200);
  });
});

/**
 * The contract's error table (§3.3, E1–E13) and order of checks (§3.5): every failure answers in the
 * `{code,message,data}` envelope with the documented status, names the failing field, and writes
 * nothing.
 */
import request from 'supertest';
import { describeEachDatabase, type Harness } from '../../support/harness';
import { basicA, basicB, basicC, maastTenant, smallCustomer, VAULT, type MaastClient } from './support';

const INVALID_CREDENTIALS = { code: 11, message: 'Invalid credentials' };
const NO_ACCESS = { code: 6, message: 'API key does not have access to this resource' };
const SERVICE_NOT_FOUND = { code: 7, message: 'Service not found' };
const CUSTOMER_NOT_FOUND = { code: 7, message: 'Customer not found' };
const failed = (data: Record<string, string>) => ({ code: 2, message: 'Request Validation Failed', data });

/** Customers, addresses and payment methods of one tenant, as rows (to prove nothing was written). */
async function rowsOf(h: Harness, tenantId: string): Promise<number> {
  const tables = await h.dumpTables();
  return ['customer', 'address', 'payment_method'].reduce(
    (sum, table) => sum + tables[table].filter((row) => row.tenant_id === tenantId || row.tenantId === tenantId).length,
    0,
  );
}

describeEachDatabase('maast errors: credentials and routes (E1, E2, E4)', (h) => {
  let client: MaastClient;
  beforeAll(async () => {
    client = await maastTenant(h());
  });
  const get = (auth?: string) => {
    const test = request(h().app).get(VAULT);
    return auth === undefined ? test : test.set('Authorization', auth);
  };

  it('accepts the key in each of the three Basic forms, "basic" in any case and without padding', async () => {
    // The browse answer a client reads: Maast's success envelope with the (empty) page.
    const listed = (res: { body: unknown }) => expect(res.body).toEqual({ code: 0, message: 'Success', totalPages: 0, totalRecords: 0, data: [] });
    await get(basicA(client.key)).expect(200).expect(listed);
    await get(basicB(client.merchantId, client.key)).expect(200).expect(listed);
    await get(basicC(client.key)).expect(200).expect(listed);
    await get('Basic ' + Buffer.from(client.key).toString('base64')).expect(200).expect(listed); // no colon: a user name
    await get('bAsIc   ' + Buffer.from(':' + client.key).toString('base64').replace(/=+$/, '')).expect(200).expect(listed);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a Bearer token', 'Bearer KEY'],
    ['a Basic value that is not base64', 'Basic ***'],
    ['both parts empty', 'Basic ' + Buffer.from(':').toString('base64')],
    ['an unknown key', 'Basic ' + Buffer.from(':0123456789abcdef0123456789abcdef').toString('base64')],
  ])('answers 401 code 11 for %s', async (_case, auth) => {
    const res = await get(auth).expect(401);
    expect(res.body).toEqual(INVALID_CREDENTIALS);
  });

  it('answers 401 when the form-B user name is not the tenant merchant id', async () => {
    const res = await get(basicB('210000000290', client.key)).expect(401);
    expect(res.body).toEqual(INVALID_CREDENTIALS);
  });

  it('answers 401 for a key with surrounding whitespace (the key is opaque, never trimmed)', async () => {
    await get(basicA(` ${client.key}`)).expect(401);
  });

  it('answers 401 for the keys of other dialects, public keys included', async () => {
    const all = await h().createTenant({ settings: { maast: { merchantId: '779' } } });
    await get(basicA(all.keys.maast)).expect(200);
    for (const label of Object.keys(all.keys).filter((name) => name !== 'maast')) {
      const res = await get(basicA(all.keys[label])).expect(401);
      expect(res.body).toEqual(INVALID_CREDENTIALS);
      await get(basicC(all.keys[label])).expect(401);
    }
  });

  it('answers 401 for a revoked key', async () => {
    const other = await maastTenant(h(), '777');
    await other.get(VAULT).expect(200);
    await h().revokeKey(other.key);
    const res = await other.get(VAULT).expect(401);
    expect(res.body).toEqual(INVALID_CREDENTIALS);
  });

  it('answers 403 code 6 when the tenant has the Maast dialect switched off', async () => {
    const other = await maastTenant(h(), '778');
    await h().setDialectEnabled(other.tenantId, 'maast', false);
    const res = await other.get(VAULT).expect(403);
    expect(res.body).toEqual(NO_ACCESS);
    await h().setDialectEnabled(other.tenantId, 'maast', true);
    await other.get(VAULT).expect(200);
  });

  it.each([
    ['get', '/platform/pg/tokenize'],
    ['get', '/platform/vault/payee'],
    ['patch', VAULT],
    ['options', VAULT],
    ['options', `${VAULT}/JOHNDOE/billing`],
    ['head', `${VAULT}/JOHNDOE/billing/delete`],
    ['put', `${VAULT}/JOHNDOE/shipping/12`],
    ['post', `${VAULT}/JOHNDOE/billing/delete`],
    ['get', `${VAULT}/JOHNDOE/billing/primary`],
    ['get', '/platform/vault/customer/JOHNDOE/cards'],
    ['get', '/maast/platform/unknown'],
  ] as const)('answers 404 code 7 "Service not found" for %s %s, even without credentials', async (method, path) => {
    const res = await request(h().app)[method](path).expect(404);
    if (method !== 'head') expect(res.body).toEqual(SERVICE_NOT_FOUND);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('checks credentials before the body (E1 before E6)', async () => {
    const res = await request(h().app).post(VAULT).set('Content-Type', 'application/json').send('{not json').expect(401);
    expect(res.body).toEqual(INVALID_CREDENTIALS);
  });
});

describeEachDatabase('maast errors: bodies and fields (E3, E5–E11)', (h) => {
  let client: MaastClient;
  let other: MaastClient;
  beforeAll(async () => {
    client = await maastTenant(h());
    other = await maastTenant(h(), '123456789012');
    await client.post(VAULT, smallCustomer('EXISTING')).expect(200);
    await other.post(VAULT, smallCustomer('FOREIGN')).expect(200);
  });

  /** Sends a failing request and proves the tenant's rows did not change. */
  async function refused(test: () => Promise<{ status: number; body: unknown }>, status: number, body: unknown): Promise<void> {
    const before = await rowsOf(h(), client.tenantId);
    const res = await test();
    expect({ status: res.status, body: res.body }).toEqual({ status, body });
    expect(await rowsOf(h(), client.tenantId)).toBe(before);
  }

  it('E6: a body that is not JSON, not an object, or empty', async () => {
    await refused(() => client.post(VAULT, '{"customer_id": "A",'), 400, failed({ body: 'Malformed JSON body' }));
    await refused(() => client.post(VAULT, '[1,2]'), 400, failed({ body: 'Request body must be a JSON object' }));
    await refused(() => client.post(VAULT, '"text"'), 400, failed({ body: 'Request body must be a JSON object' }));
    await refused(() => client.put(`${VAULT}/EXISTING`, ''), 400, failed({ body: 'Request body must be a JSON object' }));
  });

  it('E6: a body over the size limit names the body', async () => {
    const huge = JSON.stringify({ ...smallCustomer('HUGE'), comments: 'x'.repeat(1024 * 1024 + 10) });
    await refused(() => client.post(VAULT, huge), 400, failed({ body: `Request body must be at most ${1024 * 1024} bytes` }));
  });

  it('E7: wrong types, lengths and missing fields are all reported at once, with their paths', async () => {
    const body = {
      customer_id: 'BAD-ID!',
      customer_first_name: true,
      customer_last_name: 'L'.repeat(33),
      customer_phone: 5551234,
      shipping_addresses: [{ shipping_first_name: 'Jo', shipping_zip4: '12345', primary: 'yes' }, 'nope'],
      billing_cards: [
        { card_number: '4111111111111112', exp_date: '1320', cvv2: '12345' },
        { card_number: 4111111111111111, billing_zip: '94402', exp_date: '0420', billing_email: ['ok@example.com', true] },
        { tr_number: '12345', dda_number: '12', type_id: 'X' },
        { billing_zip: '94402' },
        { card_number: '9000000000000001', exp_date: '0420', billing_zip: '1' },
      ],
      merchant_id: 'abc',
    };
    await refused(
      () => client.post(VAULT, body),
      400,
      failed({
        merchant_id: 'merchant_id must be an integer',
        customer_id: 'customer_id must contain only letters and numbers',
        customer_first_name: 'customer_first_name must be a string',
        customer_last_name: 'customer_last_name must be at most 32 characters',
        'shipping_addresses[0].shipping_zip4': 'shipping_zip4 must be exactly 4 digits',
        'shipping_addresses[0].primary': 'primary must be a boolean',
        'shipping_addresses[0].shipping_last_name': 'shipping_last_name is required',
        'shipping_addresses[1]': 'shipping_addresses[1] must be an object',
        'billing_cards[0].exp_date': 'exp_date must be a valid MMYY date',
        'billing_cards[0].cvv2': 'cvv2 must be at most 4 digits',
        'billing_cards[0].card_number': 'Invalid card number',
        'billing_cards[0].billing_zip': 'billing_zip is required',
        'billing_cards[1].card_number': 'card_number must be a string',
        'billing_cards[1].billing_email[1]': 'billing_email must be a string',
        'billing_cards[2].type_id': 'type_id must be one of C, S, K, V',
        'billing_cards[2].tr_number': 'tr_number must be exactly 9 digits',
        'billing_cards[2].dda_number': 'dda_number must be 5 to 17 digits',
        'billing_cards[2].billing_first_name': 'billing_first_name is required for ACH accounts',
        'billing_cards[2].billing_last_name': 'billing_last_name is required for ACH accounts',
        'billing_cards[3].card_number': 'card_number, card_id, or tr_number and dda_number is required',
        'billing_cards[4].card_number': 'Card type is not supported',
      }),
    );
  });

  it('E7: the identity and name rules of add-customer', async () => {
    await refused(
      () => client.post(VAULT, { customer_first_name: 'Only' }),
      400,
      failed({
        customer_id: 'customer_id or auto_generate_customer_id is required',
        customer_last_name: 'Either customer_first_name and customer_last_name, or customer_firm_name, is required',
      }),
    );
    await refused(
      () => client.post(VAULT, { customer_id: 'C'.repeat(33), customer_firm_name: '' }),
      400,
      failed({
        customer_id: 'customer_id must be at most 32 characters',
        customer_first_name: 'Either customer_first_name and customer_last_name, or customer_firm_name, is required',
        customer_last_name: 'Either customer_first_name and customer_last_name, or customer_firm_name, is required',
      }),
    );
  });

  it('E7: an update must keep the name rule', async () => {
    await refused(
      () => client.put(`${VAULT}/EXISTING`, { customer_firm_name: '' }),
      400,
      failed({
        customer_first_name: 'Either customer_first_name and customer_last_name, or customer_firm_name, is required',
        customer_last_name: 'Either customer_first_name and customer_last_name, or customer_firm_name, is required',
      }),
    );
  });

  it('E8: a customer_id already in the tenant', async () => {
    await refused(() => client.post(VAULT, smallCustomer('EXISTING')), 400, failed({ customer_id: 'customer_id already exists' }));
    // ids are case-sensitive, and tenants do not share ids
    await client.post(VAULT, smallCustomer('existing')).expect(200);
    await other.post(VAULT, smallCustomer('EXISTING')).expect(200);
  });

  it('E8 with E9: a taken customer_id beside a repeated card reports both, customer_id first, and writes nothing', async () => {
    const before = (await client.get(`${VAULT}/EXISTING`).expect(200)).body;
    const card = { card_number: '5454545454545454', exp_date: '1230', billing_zip: '94402' };
    const res = await client.post(VAULT, { customer_id: 'EXISTING', customer_firm_name: 'Again', billing_cards: [card, { ...card }] }).expect(400);
    expect(res.body).toEqual(failed({ customer_id: 'customer_id already exists', 'billing_cards[1].card_number': 'Duplicate card is not permitted for this customer' }));
    expect(Object.keys(res.body.data)).toEqual(['customer_id', 'billing_cards[1].card_number']);
    // The id alone is refused by the insert itself: the same answer, and the first customer is untouched.
    await refused(() => client.post(VAULT, { customer_id: 'EXISTING', customer_firm_name: 'Again', billing_cards: [card] }), 400, failed({ customer_id: 'customer_id already exists' }));
    expect((await client.get(`${VAULT}/EXISTING`).expect(200)).body).toEqual(before);
  });

  it('E9: the same card twice in one request, or a card the customer already holds', async () => {
    const card = { card_number: '5454545454545454', exp_date: '1230', billing_zip: '94402' };
    await refused(
      () => client.post(VAULT, { customer_id: 'TWICE', customer_firm_name: 'Twice', billing_cards: [card, { ...card, exp_date: '0131' }] }),
      400,
      failed({ 'billing_cards[1].card_number': 'Duplicate card is not permitted for this customer' }),
    );
    await refused(
      () => client.post(`${VAULT}/EXISTING/billing`, { card_number: '4111111111111111', exp_date: '0125', billing_zip: '1' }),
      400,
      failed({ card_number: 'Duplicate card is not permitted for this customer' }),
    );
    const ach = { tr_number: '011111111', dda_number: '3456776866', billing_first_name: 'J', billing_last_name: 'D' };
    await client.post(`${VAULT}/EXISTING/billing`, ach).expect(200);
    const before = await rowsOf(h(), client.tenantId);
    const res = await client.post(`${VAULT}/EXISTING/billing`, { ...ach, type_id: 'S' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(failed({ dda_number: 'Duplicate card is not permitted for this customer' }));
    expect(await rowsOf(h(), client.tenantId)).toBe(before);
  });

  it('E10: a card_id that is not an entry of this customer', async () => {
    const unknown = { card_id: '0123456789abcdef0123456789abcdef' };
    const notFound = failed({ card_id: 'card_id not found' });
    await refused(() => client.put(`${VAULT}/EXISTING/billing`, { ...unknown, exp_date: '0130' }), 400, notFound);
    await refused(() => client.put(`${VAULT}/EXISTING/billing/delete`, unknown), 400, notFound);
    await refused(() => client.put(`${VAULT}/EXISTING/billing/primary`, unknown), 400, notFound);
    await refused(() => client.post(`${VAULT}/EXISTING/billing`, unknown), 400, notFound);
    await refused(
      () => client.post(VAULT, { customer_id: 'REF', customer_firm_name: 'Ref', billing_cards: [unknown] }),
      400,
      failed({ 'billing_cards[0].card_id': 'card_id not found' }),
    );
    // Another tenant's card is unknown here.
    const foreign = await other.get(`${VAULT}/FOREIGN/billing`).expect(200);
    await refused(() => client.put(`${VAULT}/EXISTING/billing/primary`, { card_id: foreign.body.data.billing_cards[0].card_id }), 400, notFound);
    await refused(() => client.put(`${VAULT}/EXISTING/billing/delete`, {}), 400, failed({ card_id: 'card_id is required' }));
    await refused(() => client.put(`${VAULT}/EXISTING/billing/delete`, { card_id: 'short' }), 400, failed({ card_id: 'card_id must be 32 letters or digits' }));
  });

  it('E11: a shipping_id that is not an address of this customer, or not a positive integer', async () => {
    const notFound = failed({ shipping_id: 'shipping_id not found' });
    const added = await client.post(`${VAULT}/EXISTING/shipping`, { shipping_first_name: 'A', shipping_last_name: 'B' }).expect(200);
    const id = added.body.data.shipping_addresses[0].shipping_id as number;
    await refused(() => client.put(`${VAULT}/EXISTING/shipping`, { shipping_id: id + 1000, shipping_first_name: 'A', shipping_last_name: 'B' }), 400, notFound);
    await refused(() => client.put(`${VAULT}/EXISTING/shipping/primary`, { shipping_id: 0 }), 400, notFound);
    await refused(() => client.del(`${VAULT}/EXISTING/shipping/abc`), 400, notFound);
    await refused(() => client.del(`${VAULT}/EXISTING/shipping/-1`), 400, notFound);
    await refused(() => client.del(`${VAULT}/EXISTING/shipping/${id + 1000}`), 400, notFound);
    await refused(() => client.put(`${VAULT}/EXISTING/shipping/primary`, { shipping_id: 'x' }), 400, failed({ shipping_id: 'shipping_id must be an integer' }));
    await refused(() => client.put(`${VAULT}/EXISTING/shipping/primary`, {}), 400, failed({ shipping_id: 'shipping_id is required' }));
  });

  it('E5: an unknown customer is 404 on every customer route, before the body is validated', async () => {
    const routes: Array<() => Promise<{ status: number; body: unknown }>> = [
      () => client.get(`${VAULT}/NOBODY`),
      () => client.put(`${VAULT}/NOBODY`, { customer_first_name: 7 }),
      () => client.del(`${VAULT}/NOBODY`),
      () => client.post(`${VAULT}/NOBODY/billing`, { card_number: 'x' }),
      () => client.get(`${VAULT}/NOBODY/billing`),
      () => client.put(`${VAULT}/NOBODY/billing`, {}),
      () => client.put(`${VAULT}/NOBODY/billing/delete`, {}),
      () => client.put(`${VAULT}/NOBODY/billing/primary`, {}),
      () => client.post(`${VAULT}/NOBODY/shipping`, {}),
      () => client.get(`${VAULT}/NOBODY/shipping`),
      () => client.put(`${VAULT}/NOBODY/shipping`, {}),
      () => client.del(`${VAULT}/NOBODY/shipping/1`),
      () => client.put(`${VAULT}/NOBODY/shipping/primary`, {}),
      // another tenant's customer answers exactly like an unknown one
      () => client.get(`${VAULT}/FOREIGN`),
      () => client.del(`${VAULT}/FOREIGN`),
    ];
    for (const route of routes) await refused(route, 404, CUSTOMER_NOT_FOUND);
    await other.get(`${VAULT}/FOREIGN`).expect(200);
  });

  it('E3: merchant_id of another merchant is 403 on query and body; 0, own id and its digit string pass', async () => {
    await refused(() => client.get(`${VAULT}/EXISTING?merchant_id=1`), 403, NO_ACCESS);
    await refused(() => client.put(`${VAULT}/EXISTING`, { comments: 'x', merchant_id: 1 }), 403, NO_ACCESS);
    await refused(() => client.put(`${VAULT}/EXISTING`, { comments: 'x', merchant_id: -1 }), 403, NO_ACCESS);
    // E3 comes before the customer lookup (E5)
    await refused(() => client.get(`${VAULT}/NOBODY?merchant_id=1`), 403, NO_ACCESS);
    await client.get(`${VAULT}/EXISTING?merchant_id=0`).expect(200);
    await client.get(`${VAULT}/EXISTING?merchant_id=${client.merchantId}`).expect(200);
    await client.put(`${VAULT}/EXISTING`, { comments: 'x', merchant_id: String(client.merchantId) }).expect(200);
    await refused(() => client.get(`${VAULT}/EXISTING?merchant_id=abc`), 400, failed({ merchant_id: 'merchant_id must be an integer' }));
    await refused(() => client.del(`${VAULT}/EXISTING?merchant_id=1.5`), 400, failed({ merchant_id: 'merchant_id must be an integer' }));
  });

  it('verify: true with a sandbox declining card is refused and nothing is stored; without verify it is stored', async () => {
    const card = { card_number: '4000000000000002', exp_date: '1230', billing_zip: '94402' };
    await refused(() => client.post(`${VAULT}/EXISTING/billing`, { ...card, verify: true }), 400, failed({ card_number: 'card verification declined' }));
    await refused(
      () => client.post(VAULT, { ...smallCustomer('DECLINED'), billing_cards: [{ ...card, verify: 'TRUE' }] }),
      400,
      failed({ 'billing_cards[0].card_number': 'card verification declined' }),
    );
    const res = await client.post(`${VAULT}/EXISTING/billing`, card).expect(200);
    const added = res.body.data.billing_cards.find((entry: { card_number: string }) => entry.card_number === '400000xxxxxx0002');
    expect(added).toBeDefined();
    expect(added).not.toHaveProperty('verified_date');
    // Re-verifying the stored card (no number in the request) applies the same decline list.
    await refused(
      () => client.put(`${VAULT}/EXISTING/billing`, { card_id: added.card_id, verify: true, billing_city: 'Reno' }),
      400,
      failed({ card_number: 'card verification declined' }),
    );
    const index = res.body.data.billing_cards.indexOf(added);
    const everything = res.body.data.billing_cards.map((entry: { card_id: string }) => ({ card_id: entry.card_id }));
    everything[index] = { card_id: added.card_id, verify: true };
    await refused(() => client.put(`${VAULT}/EXISTING`, { billing_cards: everything }), 400, failed({ [`billing_cards[${index}].card_number`]: 'card verification declined' }));
    const after = await client.get(`${VAULT}/EXISTING/billing`).expect(200);
    expect(after.body.data.billing_cards).toEqual(res.body.data.billing_cards);
  });
});

describeEachDatabase('maast errors: unexpected failures (E13)', (h) => {
  it('answers 500 code 99 without any detail when the database is gone', async () => {
    const client = await maastTenant(h());
    await client.post(VAULT, smallCustomer('BEFORE')).expect(200);
    await h().context.store.close();
    for (const res of [await client.get(`${VAULT}/BEFORE`), await client.post(VAULT, smallCustomer('AFTER'))]) {
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ code: 99, message: 'Internal Error' });
      expect(res.text).not.toMatch(/sql|typeorm|stack|Error:/i);
    }
    expect(h().logs()).not.toContain('4111111111111111');
  });
});

/**
 * Stax payment methods over HTTP (contract §4.8–§4.13, §8.5), on SQLite and MariaDB: the
 * documented card and bank examples, the default-method rules, soft delete, the nickname, and
 * the rule that card numbers, account numbers and CVVs never come back or rest in clear.
 */
import { describeEachDatabase, type Harness } from '../../support/harness';
import { rowCounts, stax, STAX_TIME, staxTenant, UUID_V4, type StaxTenant } from './client';

/** The documented S8 card request (§4.10), with our customer's id. */
const cardExample = (customerId: string) => ({
  method: 'card',
  customer_id: customerId,
  person_name: 'Steven Smith',
  card_number: '4111111111111111',
  card_cvv: '123',
  card_exp: '0429',
  address_zip: '32944',
});

/** The documented S8 bank request (§4.10), with our customer's id. */
const bankExample = (customerId: string) => ({
  method: 'bank',
  customer_id: customerId,
  person_name: 'Steven Smith',
  bank_account: '9876543456',
  bank_routing: '021000021',
  bank_name: 'First National Bank',
  bank_type: 'checking',
  bank_holder_type: 'personal',
  address_1: '123 Rite Way',
  address_city: 'Orlando',
  address_state: 'FL',
  address_zip: '32801',
  address_country: 'USA',
});

async function customer(h: Harness, t: StaxTenant, body: Record<string, unknown> = { firstname: 'Steven', lastname: 'Smith' }): Promise<string> {
  const res = await stax(h, t.key).post('/customer', body).expect(201);
  return res.body.id;
}

const card = (customerId: string, extra: Record<string, unknown> = {}) => ({ method: 'card', customer_id: customerId, card_number: '4242424242424242', card_exp: '12/2035', ...extra });

describeEachDatabase('stax S8/S9 create and read payment methods', (h) => {
  it('answers the documented card and bank examples', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const customerId = await customer(h(), t);
    const cardRes = await client.post('/payment-method', cardExample(customerId)).expect(200);
    expect(cardRes.body.id).toMatch(UUID_V4);
    expect(cardRes.body.created_at).toMatch(STAX_TIME);
    expect(cardRes.body).toEqual({
      id: cardRes.body.id,
      customer_id: customerId,
      merchant_id: t.merchantId,
      method: 'card',
      card_type: 'visa',
      card_last_four: '1111',
      card_exp: '042029',
      bank_name: null,
      bank_type: null,
      bank_holder_type: null,
      nickname: 'VISA: Steven Smith (ending in: 1111)',
      is_default: 1,
      has_cvv: true,
      person_name: 'Steven Smith',
      address_1: null,
      address_2: null,
      address_city: null,
      address_state: null,
      address_zip: '32944',
      address_country: null,
      created_at: cardRes.body.created_at,
      updated_at: cardRes.body.created_at,
      deleted_at: null,
    });
    expect(t.merchantId).toMatch(UUID_V4);

    const bankRes = await client.post('/payment-method', bankExample(customerId)).expect(200);
    expect(bankRes.body).toEqual({
      id: bankRes.body.id,
      customer_id: customerId,
      merchant_id: t.merchantId,
      method: 'bank',
      card_type: null,
      card_last_four: '3456',
      card_exp: null,
      bank_name: 'First National Bank',
      bank_type: 'checking',
      bank_holder_type: 'personal',
      nickname: 'BANK: Steven Smith (ending in: 3456)',
      is_default: 0,
      has_cvv: false,
      person_name: 'Steven Smith',
      address_1: '123 Rite Way',
      address_2: null,
      address_city: 'Orlando',
      address_state: 'FL',
      address_zip: '32801',
      address_country: 'USA',
      created_at: bankRes.body.created_at,
      updated_at: bankRes.body.created_at,
      deleted_at: null,
    });

    expect((await client.get(`/payment-method/${cardRes.body.id.toUpperCase()}`).expect(200)).body).toEqual(cardRes.body);
    expect((await client.get(`/payment-method/${bankRes.body.id}`).expect(200)).body).toEqual(bankRes.body);
  });

  it('never returns or stores in clear the card number, account number or CVV', async () => {
    const t = await staxTenant(h());
    const customerId = await customer(h(), t);
    await stax(h(), t.key).post('/payment-method', { ...cardExample(customerId), card_number: '4000 0566 5566 5556', card_cvv: '7391' }).expect(200);
    await stax(h(), t.key).post('/payment-method', { ...bankExample(customerId), bank_account: '55512340987' }).expect(200);
    const everything = JSON.stringify(await h().dumpTables()) + h().logs();
    for (const secret of ['4000056655665556', '4000 0566 5566 5556', '55512340987']) expect(everything).not.toContain(secret);
    // The CVV as a value of its own: four digits can occur by chance inside random ids and ciphertexts.
    expect(everything).not.toMatch(/"card_cvv"|(?<![0-9A-Za-z+/=-])7391(?![0-9A-Za-z+/=-])/);
  });

  it('derives the card type from the number (UnionPay as discover) and accepts the four expiry forms', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const customerId = await customer(h(), t);
    const cases: Array<[string, string, string, string]> = [
      ['6212345678901232', '0430', 'discover', '042030'],
      ['6011-0000-0000-0004', '042031', 'discover', '042031'],
      ['378282246310005', '04/32', 'amex', '042032'],
      ['5555555555554444', '04/2033', 'mastercard', '042033'],
      ['3530111333300000', '0434', 'jcb', '042034'],
      ['3000000000000004', '0435', 'diners', '042035'],
    ];
    for (const [number, exp, type, shown] of cases) {
      const res = await client.post('/payment-method', card(customerId, { card_number: number, card_exp: exp, card_type: 'visa' })).expect(200);
      expect([res.body.card_type, res.body.card_exp, res.body.card_last_four, res.body.has_cvv]).toEqual([type, shown, number.slice(-4), false]);
    }
  });

  it('defaults person_name to the customer’s name, else its company', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const named = await client.post('/payment-method', card(await customer(h(), t, { firstname: 'Ann', lastname: 'Lee', company: 'Lee Co' }))).expect(200);
    expect([named.body.person_name, named.body.nickname]).toEqual(['Ann Lee', 'VISA: Ann Lee (ending in: 4242)']);
    const company = await client.post('/payment-method', card(await customer(h(), t, { company: 'Lee Co' }))).expect(200);
    expect(company.body.person_name).toBe('Lee Co');
  });

  it('422: reports every failing field at once, including an unknown or foreign customer, and writes nothing', async () => {
    const t = await staxTenant(h());
    const other = await staxTenant(h());
    const foreignCustomer = await customer(h(), other);
    const client = stax(h(), t.key);
    const before = await rowCounts(h());
    const res = await client
      .post('/payment-method', { method: 'card', customer_id: foreignCustomer, card_number: '4111111111111112', card_exp: '13/29', card_cvv: '1', address_country: 'US', is_default: 'yes' })
      .expect(422);
    expect(res.body).toEqual({
      customer_id: ['The selected customer id is invalid.'],
      card_number: ['Invalid Card Number'],
      card_exp: ['The card exp format is invalid.'],
      card_cvv: ['The card cvv format is invalid.'],
      address_country: ['The address country must be a 3-letter ISO 3166-1 alpha-3 code.'],
      is_default: ['The is default field must be true or false.'],
    });
    const customerId = await customer(h(), t);
    const afterCustomer = await rowCounts(h());
    expect(afterCustomer.payment_method).toBe(before.payment_method);
    const more = await client.post('/payment-method', { method: 'card', customer_id: customerId, card_number: '1234567812345670', card_exp: '01/2020' }).expect(422);
    expect(more.body).toEqual({ card_number: ['Card type is invalid'], card_exp: ['The card is expired.'] });
    const bank = await client.post('/payment-method', { method: 'bank', customer_id: 'nope', bank_account: '12ab', bank_routing: '123456789', bank_type: 'loan' }).expect(422);
    expect(bank.body).toEqual({
      customer_id: ['The selected customer id is invalid.'],
      bank_account: ['The bank account format is invalid.'],
      bank_routing: ['The bank routing is invalid.'],
      bank_type: ['The selected bank type is invalid.'],
      bank_holder_type: ['The bank holder type field is required when method is bank.'],
    });
    expect((await client.post('/payment-method', {}).expect(422)).body).toEqual({
      method: ['The method field is required.'],
      customer_id: ['The customer id field is required.'],
    });
    expect(await rowCounts(h())).toEqual(afterCustomer);
  });

  it('404 on S9 for unknown, malformed and foreign ids, and for a token not attached to any customer', async () => {
    const t = await staxTenant(h());
    const other = await staxTenant(h());
    const foreign = await stax(h(), other.key).post('/payment-method', card(await customer(h(), other))).expect(200);
    const created = await h().createTenant();
    const tenant = (await h().context.tenants.get(t.tenantId)) ?? created.tenant;
    const loose = await h()
      .context.vault.forTenant(tenant, { dialect: 'exact', actorKeyId: null, requestId: null })
      .write('test.token', (session) => session.addPaymentMethod({ customerSeq: null, card: { pan: '4111111111111111', expMonth: 4, expYear: 2031 } }));
    for (const id of ['7a1c1d5e-0000-4000-8000-000000000000', 'abc', foreign.body.id, loose.id]) {
      expect((await stax(h(), t.key).get(`/payment-method/${id}`).expect(404)).body).toEqual({ error: 'Payment method not found' });
    }
  });
});

describeEachDatabase('stax S7, S10, S11 and the default payment method', (h) => {
  it('the first method is the default whatever is_default says; is_default 1 moves the flag and touches the old default', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const customerId = await customer(h(), t);
    try {
      h().setNow(Date.UTC(2030, 0, 1, 10, 0, 0));
      const first = await client.post('/payment-method', card(customerId, { is_default: 0 })).expect(200);
      expect(first.body.is_default).toBe(1);
      h().setNow(Date.UTC(2030, 0, 1, 11, 0, 0));
      const second = await client.post('/payment-method', card(customerId, { is_default: 'true' })).expect(200);
      expect(second.body.is_default).toBe(1);
      const firstNow = await client.get(`/payment-method/${first.body.id}`).expect(200);
      expect([firstNow.body.is_default, firstNow.body.updated_at]).toEqual([0, '2030-01-01 11:00:00']);
      h().setNow(Date.UTC(2030, 0, 1, 12, 0, 0));
      const third = await client.post('/payment-method', card(customerId)).expect(200);
      expect(third.body.is_default).toBe(0);

      // S7: live methods, newest first, one default.
      const list = await client.get(`/customer/${customerId}/payment-method?page=2`).expect(200);
      expect(list.body.map((pm: { id: string }) => pm.id)).toEqual([third.body.id, second.body.id, first.body.id]);
      expect(list.body.map((pm: { is_default: number }) => pm.is_default)).toEqual([0, 1, 0]);

      // S10: is_default 1 moves it, 0 clears it.
      h().setNow(Date.UTC(2030, 0, 1, 13, 0, 0));
      const moved = await client.put(`/payment-method/${third.body.id}`, { is_default: 1 }).expect(200);
      expect([moved.body.is_default, moved.body.updated_at]).toEqual([1, '2030-01-01 13:00:00']);
      expect((await client.get(`/payment-method/${second.body.id}`)).body.is_default).toBe(0);
      const cleared = await client.put(`/payment-method/${third.body.id}`, { is_default: false }).expect(200);
      expect(cleared.body.is_default).toBe(0);
      const flags = (await client.get(`/customer/${customerId}/payment-method`)).body.map((pm: { is_default: number }) => pm.is_default);
      expect(flags).toEqual([0, 0, 0]);
    } finally {
      h().setNow(null);
    }
  });

  it('S11 soft-deletes: 200 with the method, readable by id, gone from S7, no promotion, 404 on S10/S11 again', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const customerId = await customer(h(), t);
    const first = await client.post('/payment-method', card(customerId)).expect(200);
    const second = await client.post('/payment-method', card(customerId)).expect(200);
    try {
      h().setNow(Date.UTC(2031, 1, 2, 3, 4, 5));
      const deleted = await client.delete(`/payment-method/${first.body.id}`).expect(200);
      expect(deleted.body).toEqual({ ...first.body, is_default: 0, updated_at: '2031-02-02 03:04:05', deleted_at: '2031-02-02 03:04:05' });
    } finally {
      h().setNow(null);
    }
    expect((await client.get(`/payment-method/${first.body.id}`).expect(200)).body.deleted_at).toBe('2031-02-02 03:04:05');
    const list = await client.get(`/customer/${customerId}/payment-method`).expect(200);
    expect(list.body.map((pm: { id: string; is_default: number }) => [pm.id, pm.is_default])).toEqual([[second.body.id, 0]]);
    expect((await client.delete(`/payment-method/${first.body.id}`).expect(404)).body).toEqual({ error: 'Payment method not found' });
    expect((await client.put(`/payment-method/${first.body.id}`, { nickname: 'x' }).expect(404)).body).toEqual({ error: 'Payment method not found' });
    // Deleting the customer leaves its methods listed (§8.4).
    await client.delete(`/customer/${customerId}`).expect(200);
    expect((await client.get(`/customer/${customerId}/payment-method`).expect(200)).body).toHaveLength(1);
  });

  it('S10 changes only the listed fields; the generated nickname is fixed until nickname is sent empty', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const customerId = await customer(h(), t);
    const created = await client.post('/payment-method', cardExample(customerId)).expect(200);
    const id = created.body.id;
    const res = await client
      .put(`/payment-method/${id}`, {
        person_name: 'Steve Smithers',
        card_exp: '05/2036',
        address_1: '1 Ocean Dr',
        address_country: 'gbr',
        address_zip: '',
        card_number: '5555555555554444',
        customer_id: 'elsewhere',
        method: 'bank',
        has_cvv: false,
        bank_name: 'ignored for cards',
      })
      .expect(200);
    expect(res.body).toEqual({
      ...created.body,
      person_name: 'Steve Smithers',
      card_exp: '052036',
      address_1: '1 Ocean Dr',
      address_country: 'GBR',
      address_zip: null,
      updated_at: res.body.updated_at,
    });
    expect(res.body.nickname).toBe('VISA: Steven Smith (ending in: 1111)');
    const regenerated = await client.put(`/payment-method/${id}`, { nickname: '' }).expect(200);
    expect(regenerated.body.nickname).toBe('VISA: Steve Smithers (ending in: 1111)');
    const named = await client.put(`/payment-method/${id}`, { nickname: '  Travel card ' }).expect(200);
    expect(named.body.nickname).toBe('Travel card');

    const bank = await client.post('/payment-method', bankExample(customerId)).expect(200);
    const bankRes = await client.put(`/payment-method/${bank.body.id}`, { bank_type: 'savings', bank_holder_type: 'business', bank_name: null, card_exp: 'junk' }).expect(200);
    expect(bankRes.body).toMatchObject({ bank_type: 'savings', bank_holder_type: 'business', bank_name: null, card_exp: null });
  });

  it('S10 with nothing that changes leaves updated_at alone; a failing S10 changes nothing', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const customerId = await customer(h(), t);
    const created = await client.post('/payment-method', cardExample(customerId)).expect(200);
    try {
      h().setNow(Date.UTC(2032, 0, 1));
      const same = await client.put(`/payment-method/${created.body.id}`, { person_name: 'Steven Smith', address_zip: '32944', is_default: 1 }).expect(200);
      expect(same.body).toEqual(created.body);
      const refused = await client.put(`/payment-method/${created.body.id}`, { card_exp: '01/2020', address_state: 'FLA', nickname: 'n'.repeat(256) }).expect(422);
      expect(refused.body).toEqual({
        card_exp: ['The card is expired.'],
        address_state: ['The address state may not be greater than 2 characters.'],
        nickname: ['The nickname may not be greater than 255 characters.'],
      });
      expect((await client.get(`/payment-method/${created.body.id}`)).body).toEqual(created.body);
    } finally {
      h().setNow(null);
    }
  });
});

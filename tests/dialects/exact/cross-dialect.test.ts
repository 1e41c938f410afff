/**
 * One store, two dialects (contract §8.10): what Exact writes is read through Maast, and what Maast
 * writes is read and changed through Exact without losing the fields Exact cannot express.
 */
import request from 'supertest';
import { objectIdToXid } from '../../../core/ids';
import { describeEachDatabase, type Harness } from '../../support/harness';
import { loadExactSpec } from './openapi';
import { DOC_TOKENIZE_ACH, DOC_TOKENIZE_CARD, exactClient, SEED_CREATE_CUSTOMER, type ExactClient } from './support';

const spec = loadExactSpec();
const MERCHANT_ID = '210000000289';

/** Maast contract §4.1: the documented add-customer request. */
const MAAST_ADD_CUSTOMER = {
  customer_id: 'JOHNDOE',
  customer_first_name: 'JOHN',
  customer_last_name: 'Doe',
  customer_firm_name: 'CompanyXYZ',
  customer_phone: '999-999-9999',
  customer_email: 'jdoe@companyxyz.com',
  reference_id: '678909',
  comments: 'Test comment',
  developer_id: 'CompanyV2.0',
  shipping_addresses: [
    {
      shipping_first_name: 'John',
      shipping_last_name: 'Doe',
      shipping_firm_name: 'CompanyXYZ',
      shipping_addr1: '123 Main Street',
      shipping_addr2: '#1234',
      shipping_city: 'San Mateo',
      shipping_state: 'CA',
      shipping_zip: '94402',
      shipping_zip4: '1234',
      shipping_country: 'United States',
      shipping_country_code: '840',
      primary: true,
    },
  ],
  billing_cards: [
    {
      card_number: '4111111111111111',
      exp_date: '0430',
      cvv2: '152',
      card_id: '86e1b00d9b0811e68df3069d8f743581',
      billing_first_name: 'John',
      billing_last_name: 'Doe',
      billing_firm_name: 'CompanyXYZ',
      billing_email: ['john.doe@companyxyz.com', 'jdoe@companyxyz.com'],
      billing_addr1: '123 Main Avenue',
      billing_addr2: '#1234',
      billing_city: 'San Mateo',
      billing_state: 'CA',
      billing_zip: '94402',
      billing_zip4: '1234',
      billing_country: 'United States',
      billing_country_code: '840',
      primary: true,
    },
  ],
  merchant_id: Number(MERCHANT_ID),
};

function maast(h: Harness, c: ExactClient) {
  const auth = 'Basic ' + Buffer.from(':' + c.tenant.keys.maast).toString('base64');
  return {
    get: (path: string) => request(h.app).get(`/platform/vault/customer${path}`).set('Authorization', auth),
    post: (path: string, body: unknown) => request(h.app).post(`/platform/vault/customer${path}`).set('Authorization', auth).send(body as object),
  };
}

describeEachDatabase('exact ↔ maast', (h) => {
  let c: ExactClient;
  beforeAll(async () => {
    c = await exactClient(h(), await h().createTenant({ settings: { maast: { merchantId: MERCHANT_ID } } }));
  });

  it('a customer created through Exact reads through Maast with its name split and its addresses (labels have no Maast field)', async () => {
    const created = await c.createCustomer({
      ...SEED_CREATE_CUSTOMER,
      name: 'Mary Ann Smith',
      addresses: [...SEED_CREATE_CUSTOMER.addresses, { label: 'Home', line1: '1 Main St', line2: 'Apt 2', city: 'Toronto', state: 'ON', postalCode: 'M5V 2T6', country: 'CAN' }],
    });
    const res = await maast(h(), c).get(`/${objectIdToXid(String(created.id))}`);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(0);
    const data = res.body.data;
    expect(data).toMatchObject({ customer_first_name: 'Mary', customer_last_name: 'Ann Smith', customer_email: 'john@example.com', customer_phone: '5551234567' });
    expect(data.customer_firm_name).toBeUndefined();
    expect(data.shipping_addresses).toEqual([
      {
        shipping_id: expect.any(Number),
        shipping_addr1: '7272 Indian School Dr',
        shipping_city: 'Scottsdale',
        shipping_state: 'AZ',
        shipping_zip: '85251',
        shipping_country: 'United States',
        shipping_country_code: '840',
        primary: true,
      },
      {
        shipping_id: expect.any(Number),
        shipping_addr1: '1 Main St',
        shipping_addr2: 'Apt 2',
        shipping_city: 'Toronto',
        shipping_state: 'ON',
        shipping_zip: 'M5V 2T6',
        shipping_country: 'Canada',
        shipping_country_code: '124',
        primary: false,
      },
    ]);
    // The labels are kept in the store, not dropped: Exact still shows them.
    const again = await c.call('get', `/customer/${created.id}`);
    expect(again.body.addresses.map((a: { label: string }) => a.label)).toEqual(['Work', 'Home']);
  });

  it('a card and a bank account tokenized and attached through Exact show up masked in Maast billing_cards', async () => {
    const created = await c.createCustomer();
    const card = await c.tokenize(DOC_TOKENIZE_CARD);
    const bank = await c.tokenize(DOC_TOKENIZE_ACH);
    await c.call('post', `/customer/${created.id}/payment-method`, { token: card.token, label: 'My Visa Card' }).expect(201);
    await c.call('post', `/customer/${created.id}/payment-method`, { token: bank.token }).expect(201);
    const res = await maast(h(), c).get(`/${objectIdToXid(String(created.id))}`);
    expect(res.status).toBe(200);
    const cards = res.body.data.billing_cards;
    expect(cards).toHaveLength(2);
    expect(cards[0]).toMatchObject({
      card_id: String(card.token).replace(/-/g, ''),
      card_number: '411111xxxxxx1111',
      card_type: 'VS',
      exp_date: '1229',
      billing_first_name: 'steve',
      billing_last_name: 'tack',
      billing_email: ['steve.tack@example.com'],
      billing_addr1: 'Bond Street',
      billing_addr2: 'somewhere',
      billing_city: 'Knoxville',
      billing_state: 'TN',
      billing_zip: '37920',
      billing_country: 'United States',
      primary: true,
    });
    expect(cards[1].card_id).toBe(String(bank.token).replace(/-/g, ''));
    expect(cards[1].primary).toBe(false);
    expect(res.body.data.primary_card_number).toBe('411111xxxxxx1111');
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toMatch(/"123456"/);
  });

  it('a customer written through Maast (documented example) reads through Exact, and Exact changes keep what it cannot express', async () => {
    const added = await maast(h(), c).post('', MAAST_ADD_CUSTOMER);
    expect(added.status).toBe(200);
    expect(added.body.code).toBe(0);

    const list = await c.call('get', '/customer?email=jdoe@companyxyz.com');
    expect(list.headers['x-total-count']).toBe('1');
    const customer = list.body[0];
    spec.expectConforms('Customer', customer);
    expect(customer).toMatchObject({
      name: 'JOHN Doe',
      email: 'jdoe@companyxyz.com',
      phone: '999-999-9999',
      addresses: [{ line1: '123 Main Street', line2: '#1234', city: 'San Mateo', state: 'CA', postalCode: '94402-1234', country: 'USA' }],
    });
    expect(customer.addresses[0].label).toBeUndefined();

    const methods = await c.call('get', `/customer/${customer.id}/payment-method`);
    spec.expectEachConforms('PaymentMethod', methods.body);
    expect(methods.body).toHaveLength(1);
    expect(methods.body[0]).toMatchObject({
      type: 'card',
      isDefault: true,
      billingDetails: {
        name: 'John Doe',
        email: 'john.doe@companyxyz.com',
        address: { line1: '123 Main Avenue', line2: '#1234', city: 'San Mateo', state: 'CA', postalCode: '94402-1234', country: 'USA' },
      },
      card: { brand: 'visa', lastFour: '1111', expiry: { month: 4, year: 2030 }, tokenType: 'platform' },
    });
    const def = await c.call('get', `/customer/${customer.id}/payment-method/default`);
    expect(def.body.token).toBe(methods.body[0].token);

    // Exact changes the name and the address's city, and labels the address.
    await c.call('put', `/customer/${customer.id}`, {
      name: 'Johnny Doe',
      addresses: [{ ...customer.addresses[0], label: 'HQ', city: 'Palo Alto' }],
    }).expect(204);

    const after = await maast(h(), c).get('/JOHNDOE');
    expect(after.status).toBe(200);
    expect(after.body.data).toMatchObject({
      customer_first_name: 'Johnny',
      customer_last_name: 'Doe',
      customer_firm_name: 'CompanyXYZ',
      reference_id: '678909',
      comments: 'Test comment',
      developer_id: 'CompanyV2.0',
    });
    expect(after.body.data.shipping_addresses).toEqual([
      expect.objectContaining({
        shipping_first_name: 'John',
        shipping_last_name: 'Doe',
        shipping_firm_name: 'CompanyXYZ',
        shipping_addr1: '123 Main Street',
        shipping_city: 'Palo Alto',
        shipping_zip: '94402',
        shipping_zip4: '1234',
        shipping_country_code: '840',
      }),
    ]);
    expect(after.body.data.billing_cards).toHaveLength(1);
    expect(after.body.data.billing_cards[0].card_id).toBe('86e1b00d9b0811e68df3069d8f743581');
  });

  it('a customer deleted through Stax is absent here; restored through Stax, it comes back with its payment methods', async () => {
    const created = await c.createCustomer();
    const pm = await c.tokenize();
    await c.call('post', `/customer/${created.id}/payment-method`, { token: pm.token, label: 'Kept' }).expect(201);
    const stax = (method: 'delete' | 'put', path: string) => request(h().app)[method](`/stax${path}`).set('Authorization', `Bearer ${c.tenant.keys.stax}`);
    expect((await stax('delete', `/customer/${created.token}`)).status).toBe(200);
    expect((await c.call('get', `/customer/${created.id}`)).status).toBe(404);
    expect((await c.call('get', `/customer-token/${created.token}/payment-method`)).status).toBe(404);
    const loose = await c.call('get', `/payment-method/${pm.token}`);
    expect(loose.status).toBe(200);
    expect(loose.body.isDefault).toBeUndefined();
    expect((await stax('put', `/customer/${created.token}/restore`)).status).toBe(200);
    const back = await c.call('get', `/customer/${created.id}/payment-method`);
    expect(back.status).toBe(200);
    expect(back.body.map((m: { token: string; label: string; isDefault: boolean }) => [m.token, m.label, m.isDefault])).toEqual([[pm.token, 'Kept', true]]);
  });

  it('a customer deleted through Exact is gone for Maast too', async () => {
    const created = await c.createCustomer();
    await c.call('delete', `/customer/${created.id}`).expect(204);
    const res = await maast(h(), c).get(`/${objectIdToXid(String(created.id))}`);
    expect(res.body.code).not.toBe(0);
  });
});

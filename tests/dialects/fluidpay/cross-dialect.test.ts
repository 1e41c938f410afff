/**
 * A customer written through the Maast dialect, read and changed through this one (issue 3, item 7):
 * names on its addresses, its addresses and its masked cards intact.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/harness';
import { client, DOCUMENTED_CREATE, XID } from './support';

/** The Maast contract's §4.1 example request, verbatim. */
const MAAST_CREATE = {
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
      exp_date: '0420',
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
      verify: true,
      primary: true,
    },
  ],
  merchant_id: 210000000289,
};

describeEachDatabase('fluidpay reads a Maast customer', (h) => {
  it('shows the Maast customer with its address names, address and masked card, and keeps Maast data through FluidPay writes', async () => {
    const t = await h().createTenant({ dialects: ['maast', 'fluidpay'], settings: { maast: { merchantId: '210000000289' } } });
    const basic = 'Basic ' + Buffer.from(':' + t.keys.maast).toString('base64');
    await request(h().app).post('/platform/vault/customer').set('Authorization', basic).send(MAAST_CREATE).expect(200);
    const fp = client(h(), t.keys.fluidpay);

    const got = (await fp.get('/api/vault/JOHNDOE').expect(200)).body.data;
    const customer = got.data.customer;
    expect(got).toMatchObject({ id: 'JOHNDOE', owner_id: t.settings.fluidpay?.ownerId });
    // Maast shipping addresses are the customer's addresses; FluidPay shows names only there.
    expect(customer.addresses).toEqual([
      {
        id: expect.stringMatching(XID),
        first_name: 'John',
        last_name: 'Doe',
        company: 'CompanyXYZ',
        line_1: '123 Main Street',
        line_2: '#1234',
        city: 'San Mateo',
        state: 'CA',
        postal_code: '94402',
        country: 'US',
        email: '',
        phone: '',
        fax: '',
        hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      },
    ]);
    expect(customer.payments).toEqual({
      cards: [{ id: expect.stringMatching(XID), card_type: 'visa', masked_number: '411111******1111', expiration_date: '04/20', flags: [], processor_id: '' }],
      ach: [],
    });
    expect(customer.defaults).toEqual({
      billing_address_id: '',
      shipping_address_id: customer.addresses[0].id,
      payment_method_id: customer.payments.cards[0].id,
      payment_method_type: 'card',
    });
    expect(customer.notes).toBe('Test comment');

    // Found by FluidPay search on the address names.
    const found = await fp.post('/api/vault/customer/search', { first_name: { operator: '=', value: 'John' }, last_name: { operator: '=', value: 'Doe' } }).expect(200);
    expect(found.body.data.map((r: { id: string }) => r.id)).toEqual(['JOHNDOE']);

    // A FluidPay write to the address and the card; Maast still shows everything it stored.
    await fp.post(`/api/vault/customer/JOHNDOE/address/${customer.addresses[0].id}`, { line_2: 'Suite 9' }).expect(200);
    await fp.post(`/api/vault/customer/JOHNDOE/card/${customer.payments.cards[0].id}`, { expiration_date: '0431' }).expect(200);
    const maast = await request(h().app).get('/platform/vault/customer/JOHNDOE').set('Authorization', basic).expect(200);
    expect(maast.body.data).toMatchObject({
      customer_id: 'JOHNDOE',
      customer_first_name: 'JOHN',
      customer_last_name: 'Doe',
      customer_email: 'jdoe@companyxyz.com',
      developer_id: 'CompanyV2.0',
      shipping_addresses: [{ shipping_addr1: '123 Main Street', shipping_addr2: 'Suite 9', shipping_zip4: '1234', shipping_country: 'United States', shipping_country_code: '840' }],
      billing_cards: [{ card_id: '86e1b00d9b0811e68df3069d8f743581', exp_date: '0431', billing_email: ['john.doe@companyxyz.com', 'jdoe@companyxyz.com'], billing_addr1: '123 Main Avenue' }],
    });
  });

  it('gives a FluidPay customer the names and contacts of its first address for dialects that show them on the customer', async () => {
    const t = await h().createTenant({ dialects: ['maast', 'fluidpay'], settings: { maast: { merchantId: '210000000289' } } });
    await client(h(), t.keys.fluidpay).post('/api/vault/customer', { ...DOCUMENTED_CREATE, id: 'fromFluid' }).expect(200);
    const basic = 'Basic ' + Buffer.from(':' + t.keys.maast).toString('base64');
    const maast = await request(h().app).get('/platform/vault/customer/fromFluid').set('Authorization', basic).expect(200);
    expect(maast.body.data).toMatchObject({
      customer_id: 'fromFluid',
      customer_first_name: 'John',
      customer_last_name: 'Smith',
      customer_firm_name: 'Some Business',
      customer_email: 'user@somesite.com',
      customer_phone: '5555555555',
      primary_card_number: '411111xxxxxx1111',
    });
  });
});

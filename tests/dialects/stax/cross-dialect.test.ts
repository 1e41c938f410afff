/**
 * One store, several dialects (contract §8.10): a customer created through Stax is read through
 * Maast (`GET /platform/vault/customer/{customer_id}`) and FluidPay (`GET /api/vault/{id}`) with its
 * address and card, and what those dialects cannot express (custom fields, options, cc lists)
 * survives a Maast update and comes back through Stax.
 */
import request from 'supertest';
import { describeEachDatabase, type Harness } from '../../support/harness';
import { S1_EXAMPLE, S1_EXAMPLE_RESPONSE, stax, staxTenant, type StaxTenant } from './client';

/** The Maast `customer_id` / FluidPay `id` of a customer: its vault id (its xid when no code was chosen). */
async function vaultIdOf(h: Harness, t: StaxTenant, staxId: string): Promise<string> {
  const tenant = await h.context.tenants.get(t.tenantId);
  const customer = await h.context.vault
    .forTenant(tenant, { dialect: 'stax', actorKeyId: null, requestId: null })
    .read((session) => session.findCustomer({ by: 'id', id: staxId }));
  if (!customer) throw new Error('customer not in the store');
  return customer.vaultId;
}

const maastAuth = (key: string) => 'Basic ' + Buffer.from(':' + key).toString('base64');

describeEachDatabase('stax customers through the Maast and FluidPay dialects', (h) => {
  it('reads a Stax customer, its address and its card through Maast and FluidPay', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer', S1_EXAMPLE).expect(201);
    await client.post('/payment-method', { method: 'card', customer_id: created.body.id, card_number: '4111111111111111', card_exp: '0429', address_zip: '32944' }).expect(200);
    const vaultId = await vaultIdOf(h(), t, created.body.id);

    const maast = await request(h().app).get(`/platform/vault/customer/${vaultId}`).set('Authorization', maastAuth(t.keys.maast)).expect(200);
    expect(maast.body.code).toBe(0);
    expect(maast.body.data).toMatchObject({
      customer_id: vaultId,
      customer_first_name: 'John',
      customer_last_name: 'Smith',
      customer_firm_name: 'ABC INC',
      customer_phone: '1234567898',
      customer_email: 'john@example.com',
      reference_id: 'crm-000123',
      primary_card_number: '411111xxxxxx1111',
    });
    expect(maast.body.data.shipping_addresses).toHaveLength(1);
    expect(maast.body.data.shipping_addresses[0]).toMatchObject({
      shipping_addr1: '123 Rite Way',
      shipping_addr2: 'Unit 12',
      shipping_city: 'Orlando',
      shipping_state: 'FL',
      shipping_zip: '32801',
      shipping_country_code: '840',
      primary: true,
    });
    expect(maast.body.data.billing_cards).toEqual([
      expect.objectContaining({ card_number: '411111xxxxxx1111', card_type: 'VS', exp_date: '0429', billing_first_name: 'John', billing_last_name: 'Smith', billing_zip: '32944', primary: true }),
    ]);

    const fluid = await request(h().app).get(`/api/vault/${vaultId}`).set('Authorization', t.keys.fluidpay).expect(200);
    expect(fluid.body.status).toBe('success');
    const customer = fluid.body.data.data.customer;
    expect(customer.addresses).toEqual([
      expect.objectContaining({ line_1: '123 Rite Way', line_2: 'Unit 12', city: 'Orlando', state: 'FL', postal_code: '32801', country: 'US' }),
    ]);
    expect(customer.defaults).toMatchObject({ billing_address_id: customer.addresses[0].id, shipping_address_id: customer.addresses[0].id, payment_method_type: 'card' });
    expect(customer.payments.cards).toEqual([expect.objectContaining({ card_type: 'visa', masked_number: '411111******1111', expiration_date: '04/29' })]);
  });

  it('keeps custom fields, options and cc lists through a Maast update, and shows the Maast change through Stax', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer', S1_EXAMPLE).expect(201);
    const vaultId = await vaultIdOf(h(), t, created.body.id);

    await request(h().app)
      .put(`/platform/vault/customer/${vaultId}`)
      .set('Authorization', maastAuth(t.keys.maast))
      .send({ customer_phone: '4075550199', comments: 'moved desk' })
      .expect(200);

    const after = await client.get(`/customer/${created.body.id}`).expect(200);
    expect(after.body).toEqual({
      ...S1_EXAMPLE_RESPONSE,
      id: created.body.id,
      phone: '4075550199',
      // Maast `comments` and Stax `notes` are both the canonical notes.
      notes: 'moved desk',
      created_at: created.body.created_at,
      updated_at: after.body.updated_at,
    });

    // And the other way: a Stax address change is what Maast and FluidPay see.
    await client.put(`/customer/${created.body.id}`, { address_1: '9 Harbour Rd', address_country: 'CAN', address_state: 'ON' }).expect(200);
    const maast = await request(h().app).get(`/platform/vault/customer/${vaultId}`).set('Authorization', maastAuth(t.keys.maast)).expect(200);
    expect(maast.body.data.shipping_addresses[0]).toMatchObject({ shipping_addr1: '9 Harbour Rd', shipping_state: 'ON', shipping_country_code: '124' });
    const fluid = await request(h().app).get(`/api/vault/${vaultId}`).set('Authorization', t.keys.fluidpay).expect(200);
    expect(fluid.body.data.data.customer.addresses[0]).toMatchObject({ line_1: '9 Harbour Rd', country: 'CA' });
    expect((await client.get(`/customer/${created.body.id}`)).body.options).toEqual(S1_EXAMPLE_RESPONSE.options);
  });

  it('keeps custom fields and options through a FluidPay update, and moves the default card set there', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer', S1_EXAMPLE).expect(201);
    const first = await client.post('/payment-method', { method: 'card', customer_id: created.body.id, card_number: '4111111111111111', card_exp: '0429' }).expect(200);
    const second = await client.post('/payment-method', { method: 'card', customer_id: created.body.id, card_number: '5555555555554444', card_exp: '0430' }).expect(200);
    expect([first.body.is_default, second.body.is_default]).toEqual([1, 0]);
    const vaultId = await vaultIdOf(h(), t, created.body.id);
    const fluid = await request(h().app).get(`/api/vault/${vaultId}`).set('Authorization', t.keys.fluidpay).expect(200);
    const mastercard = fluid.body.data.data.customer.payments.cards.find((card: { card_type: string }) => card.card_type === 'mastercard');
    await request(h().app)
      .post(`/api/vault/customer/${vaultId}`)
      .set('Authorization', t.keys.fluidpay)
      .send({ notes: 'prefers e-mail', defaults: { payment_method_id: mastercard.id, payment_method_type: 'card' } })
      .expect(200);
    const after = await client.get(`/customer/${created.body.id}`).expect(200);
    expect(after.body.options).toEqual(S1_EXAMPLE_RESPONSE.options);
    expect(after.body).toMatchObject({ notes: 'prefers e-mail', cc_emails: ['billing@example.com'], cc_sms: [], address_1: '123 Rite Way', address_country: 'USA' });
    const methods = await client.get(`/customer/${created.body.id}/payment-method`).expect(200);
    expect(methods.body.map((pm: { id: string; is_default: number }) => [pm.id, pm.is_default])).toEqual(
      expect.arrayContaining([
        [first.body.id, 0],
        [second.body.id, 1],
      ]),
    );
  });

  it('hides from Maast a customer soft-deleted through Stax, and shows it again after restore', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer', { firstname: 'Gone', lastname: 'Soon' }).expect(201);
    const vaultId = await vaultIdOf(h(), t, created.body.id);
    await client.delete(`/customer/${created.body.id}`).expect(200);
    await request(h().app).get(`/platform/vault/customer/${vaultId}`).set('Authorization', maastAuth(t.keys.maast)).expect(404);
    await client.put(`/customer/${created.body.id}/restore`).expect(200);
    await request(h().app).get(`/platform/vault/customer/${vaultId}`).set('Authorization', maastAuth(t.keys.maast)).expect(200);
  });

  it('answers 404 for a customer and its card deleted through Maast (gone for good)', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer', { firstname: 'Purged' }).expect(201);
    const pm = await client.post('/payment-method', { method: 'card', customer_id: created.body.id, card_number: '4111111111111111', card_exp: '0429' }).expect(200);
    const vaultId = await vaultIdOf(h(), t, created.body.id);
    await request(h().app).delete(`/platform/vault/customer/${vaultId}`).set('Authorization', maastAuth(t.keys.maast)).expect(200);
    expect((await client.get(`/customer/${created.body.id}`).expect(404)).body).toEqual({ error: 'Customer not found' });
    expect((await client.put(`/customer/${created.body.id}/restore`).expect(404)).body).toEqual({ error: 'Customer not found' });
    expect((await client.get(`/payment-method/${pm.body.id}`).expect(404)).body).toEqual({ error: 'Payment method not found' });
  });
});

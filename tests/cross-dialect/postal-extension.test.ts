/**
 * A ZIP+4 extension kept apart by Maast (`*_zip4`) belongs to the ZIP code it was given with. When
 * another dialect changes that ZIP code, the extension goes too: otherwise Maast and Exact (which
 * joins it, "10001-1234") would show a ZIP+4 nobody entered. The matrix covers customer addresses;
 * this covers a payment method's billing address changed through Stax.
 */
import request from 'supertest';
import { describeEachDatabase } from '../support/harness';

describeEachDatabase('a ZIP+4 kept by Maast and a ZIP code changed elsewhere', (h) => {
  it('is dropped when Stax changes the billing ZIP of a card, and kept when Stax changes something else', async () => {
    const t = await h().createTenant({ settings: { maast: { merchantId: '210000000289' } } });
    const maast = 'Basic ' + Buffer.from(':' + t.keys.maast).toString('base64');
    const added = await request(h().app)
      .post('/platform/vault/customer')
      .set('Authorization', maast)
      .send({
        customer_id: 'ZIP4',
        customer_first_name: 'Zip',
        customer_last_name: 'Four',
        billing_cards: [{ card_number: '4111111111111111', exp_date: '0430', billing_zip: '94402', billing_zip4: '1234', billing_country_code: '840' }],
      })
      .expect(200);
    expect(added.body.data.billing_cards[0]).toMatchObject({ billing_zip: '94402', billing_zip4: '1234' });
    const tenant = await h().context.tenants.get(t.tenant.id);
    const customer = await h().context.vault.forTenant(tenant, { dialect: 'stax', actorKeyId: null, requestId: null }).read((s) => s.findCustomer({ by: 'vaultId', vaultId: 'ZIP4' }));
    const stax = (method: 'get' | 'put', path: string, body?: object) => request(h().app)[method](`/stax${path}`).set('Authorization', `Bearer ${t.keys.stax}`).send(body);
    const [pm] = (await stax('get', `/customer/${customer?.id}/payment-method`).expect(200)).body;

    await stax('put', `/payment-method/${pm.id}`, { address_city: 'San Mateo' }).expect(200);
    let card = (await request(h().app).get('/platform/vault/customer/ZIP4').set('Authorization', maast).expect(200)).body.data.billing_cards[0];
    expect(card).toMatchObject({ billing_city: 'San Mateo', billing_zip: '94402', billing_zip4: '1234' });

    await stax('put', `/payment-method/${pm.id}`, { address_zip: '10001' }).expect(200);
    card = (await request(h().app).get('/platform/vault/customer/ZIP4').set('Authorization', maast).expect(200)).body.data.billing_cards[0];
    expect(card.billing_zip).toBe('10001');
    expect(card.billing_zip4).toBeUndefined();
    const exact = await request(h().app).get(`/exact/customer/${customer?.objectId}/payment-method`).set('Authorization', t.keys.exact).expect(200);
    expect(exact.body[0].billingDetails.address.postalCode).toBe('10001');
  });
});

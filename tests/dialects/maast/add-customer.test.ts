/**
 * POST /platform/vault/customer with the provider's own example (seed 000), sent verbatim.
 */
import { describeEachDatabase } from '../../support/harness';
import { loadSpecValidators } from './openapi';
import { DOC_MERCHANT_ID, maastTenant, seedExampleRequest, seedExampleResponse, VAULT } from './support';

const spec = loadSpecValidators();

describeEachDatabase('maast POST /platform/vault/customer (seed 000)', (h) => {
  it('answers the documented response to the guide example request sent verbatim', async () => {
    const client = await maastTenant(h());
    const before = Date.now();
    const res = await client.post(VAULT, seedExampleRequest()).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    spec.assertValid('CustomerResponse', res.body);

    const documented = seedExampleResponse() as { data: Record<string, unknown> };
    const data = res.body.data as Record<string, unknown>;
    expect(res.body.code).toBe(0);
    expect(res.body.message).toBe('Success');
    // Every documented field with its documented value, except the ids the gateway assigns.
    const { rec_id: _docRec, shipping_addresses: docShipping, billing_cards: docCards, ...docScalars } = documented.data;
    const { rec_id, shipping_addresses, billing_cards, ...scalars } = data;
    expect(scalars).toEqual(docScalars);
    expect(typeof rec_id).toBe('number');
    expect(data.node_id).toBe(Number(DOC_MERCHANT_ID));
    expect(data.primary_card_number).toBe('411111xxxxxx1111');

    const [docAddress] = docShipping as Array<Record<string, unknown>>;
    const [address] = shipping_addresses as Array<Record<string, unknown>>;
    expect((shipping_addresses as unknown[]).length).toBe(1);
    const { shipping_id, ...addressFields } = address;
    const { shipping_id: _docShippingId, ...docAddressFields } = docAddress;
    expect(addressFields).toEqual(docAddressFields);
    expect(Number.isInteger(shipping_id)).toBe(true);
    expect(shipping_id as number).toBeGreaterThan(0);

    const [docCard] = docCards as Array<Record<string, unknown>>;
    const [card] = billing_cards as Array<Record<string, unknown>>;
    expect((billing_cards as unknown[]).length).toBe(1);
    const { verified_date, ...cardFields } = card;
    const { verified_date: _docVerified, ...docCardFields } = docCard;
    expect(cardFields).toEqual(docCardFields);
    expect(card.card_id).toBe('86e1b00d9b0811e68df3069d8f743581');
    expect(card.card_number).toBe('411111xxxxxx1111');
    expect(card.card_type).toBe('VS');
    expect(verified_date).toMatch(/^[0-9]{14}$/);
    const when = Date.UTC(
      Number((verified_date as string).slice(0, 4)),
      Number((verified_date as string).slice(4, 6)) - 1,
      Number((verified_date as string).slice(6, 8)),
      Number((verified_date as string).slice(8, 10)),
      Number((verified_date as string).slice(10, 12)),
      Number((verified_date as string).slice(12, 14)),
    );
    expect(when).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(when).toBeLessThanOrEqual(Date.now());
    expect(res.text).not.toContain('cvv2');
    expect(res.text).not.toContain('4111111111111111');
    expect(res.text).not.toContain('3456776866');

    // The customer reads back identically.
    const read = await client.get(`${VAULT}/JOHNDOE`).expect(200);
    spec.assertValid('CustomerResponse', read.body);
    expect(read.body.data).toEqual(data);
  });

  it('refuses the same request naming another merchant with code 6 and writes nothing', async () => {
    const client = await maastTenant(h());
    const body = JSON.parse(seedExampleRequest()) as Record<string, unknown>;
    body.merchant_id = 210000000290;
    const res = await client.post(VAULT, body).expect(403);
    expect(res.body).toEqual({ code: 6, message: 'API key does not have access to this resource' });
    await client.get(`${VAULT}/JOHNDOE`).expect(404);
  });

  it('refuses another merchant inside an array element too', async () => {
    const client = await maastTenant(h());
    const body = JSON.parse(seedExampleRequest()) as { billing_cards: Array<Record<string, unknown>> };
    body.billing_cards[0].merchant_id = '999';
    const res = await client.post(VAULT, body).expect(403);
    expect(res.body.code).toBe(6);
  });

  it('logs no card number, account number, CVV or API key, also for refused and failing requests', async () => {
    const client = await maastTenant(h());
    await client.post(VAULT, seedExampleRequest()).expect(200);
    const body = JSON.parse(seedExampleRequest()) as { customer_id: string; billing_cards: Array<Record<string, unknown>> };
    await client.post(VAULT, body).expect(400); // duplicate customer_id
    body.customer_id = 'OTHER1';
    body.billing_cards[0].card_number = '4111111111111112';
    await client.post(VAULT, body).expect(400); // Luhn failure
    body.billing_cards[0].card_number = '4000000000000002';
    await client.post(VAULT, body).expect(400); // sandbox decline
    await client.post(VAULT, '{"card_number": "4111111111111111", "cvv2": "152"').expect(400); // malformed
    const logs = h().logs();
    expect(logs).toContain('/platform/vault/customer'); // the requests were logged
    for (const secret of ['4111111111111111', '4111111111111112', '4000000000000002', '3456776866', '"152"', client.key]) {
      expect(logs).not.toContain(secret);
    }
  });
});

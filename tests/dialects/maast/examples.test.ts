/**
 * Every example of the contract's §4 replayed verbatim: each documented request is sent as
 * written, against a customer in the state the documented response implies, and the answer must
 * equal the documented response (ids the gateway assigns — rec_id, shipping_id, generated card_id —
 * are mapped by position). Every success body is validated against the provider's OpenAPI schema.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/harness';
import { contractSection, createFromView, idsOf, withIds, type IdMap } from './contract';
import { loadSpecValidators } from './openapi';
import { maastTenant, VAULT } from './support';

const spec = loadSpecValidators();
type View = Record<string, unknown>;
type Entry = Record<string, unknown>;

const dataOf = (block: Record<string, unknown>): View => block.data as View;
const cardsOf = (view: View): Entry[] => view.billing_cards as Entry[];
const shippingOf = (view: View): Entry[] => view.shipping_addresses as Entry[];
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describeEachDatabase('maast contract examples', (h) => {
  it('4.1 add a customer: the example request answers the example response', async () => {
    const client = await maastTenant(h());
    const [requestBody, documented] = contractSection('4.1').blocks;
    const res = await client.post(VAULT, requestBody).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    const actual = clone(res.body);
    // The card was sent with verify: true, so it carries verified_date (contract §4.0.2, §8.6);
    // the example response leaves it out.
    expect(cardsOf(actual.data)[0].verified_date).toMatch(/^[0-9]{14}$/);
    delete cardsOf(actual.data)[0].verified_date;
    expect(actual).toEqual(withIds(documented, idsOf(dataOf(documented), actual.data)));
    // Fields come in the documented order too (for clients and people diffing JSON text).
    expect(JSON.stringify(actual)).toBe(JSON.stringify(withIds(documented, idsOf(dataOf(documented), actual.data))));
  });

  it('4.1 auto-generated id variant: 20 upper-case letters and digits, a generated 32-hex card_id', async () => {
    const client = await maastTenant(h());
    const variant = contractSection('4.1').inline.find((example) => 'auto_generate_customer_id' in example);
    const res = await client.post(VAULT, variant).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    expect(res.body.data.customer_id).toMatch(/^[A-Z0-9]{20}$/);
    expect(cardsOf(res.body.data)[0].card_id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.data.customer_firm_name).toBe('Kill Bill');
    expect(cardsOf(res.body.data)[0]).toEqual({
      card_id: cardsOf(res.body.data)[0].card_id,
      card_number: '411111xxxxxx1111',
      card_type: 'VS',
      exp_date: '0420',
      billing_firm_name: 'Kill Bill',
      billing_zip: '94402',
      primary: true,
    });
  });

  it('4.2 browse: the example page, and the example filter query', async () => {
    const client = await maastTenant(h());
    const [documented] = contractSection('4.2').blocks;
    const docCustomers = documented.data as View[];
    // Created in the order of their rec_id (JOHNDOE 17 first, then the auto-generated one 18).
    const created = [await createFromView(client, docCustomers[1]), await createFromView(client, docCustomers[0])];
    const res = await client.get(`${VAULT}?count=2&page=0&order_on=customer_id&order_by=desc`).expect(200);
    spec.assertValid('CustomerListResponse', res.body);
    expect(res.body.totalPages).toBe(1);
    expect(res.body.totalRecords).toBe(2);
    const expected = { ...documented, data: [withIds(docCustomers[0], idsOf(docCustomers[0], created[1])), withIds(docCustomers[1], idsOf(docCustomers[1], created[0]))] };
    expect(res.body).toEqual(expected);

    const example = contractSection('4.2').text.match(/Example: `GET \/platform(\/vault\/customer\?[^`]+)`/);
    const filtered = await client.get(`/platform${example?.[1]}`).expect(200);
    spec.assertValid('CustomerListResponse', filtered.body);
    expect(filtered.body.totalRecords).toBe(1);
    expect(filtered.body.totalPages).toBe(1);
    expect(filtered.body.data).toEqual([expected.data[1]]);
  });

  it('4.3 get a customer: the example response', async () => {
    const client = await maastTenant(h());
    const [documented] = contractSection('4.3').blocks;
    const created = await createFromView(client, dataOf(documented));
    const res = await client.get(`${VAULT}/JOHNDOE`).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    expect(res.body).toEqual(withIds(documented, idsOf(dataOf(documented), created)));
  });

  it('4.4 update a customer: the example request answers the example response', async () => {
    const client = await maastTenant(h());
    const before = dataOf(contractSection('4.3').blocks[0]);
    const [requestBody, documented] = contractSection('4.4').blocks;
    const created = await createFromView(client, before);
    const res = await client.put(`${VAULT}/JOHNDOE`, requestBody).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    const ids = idsOf(before, created);
    idsOf(dataOf(documented), res.body.data, ids);
    expect(res.body).toEqual(withIds(documented, ids));
    // The replaced address got a new shipping_id; the old one is gone.
    expect(shippingOf(res.body.data)[0].shipping_id).not.toBe(shippingOf(created)[0].shipping_id);
  });

  it('4.5 delete a customer: data {} and a second delete is 404', async () => {
    const client = await maastTenant(h());
    const [documented] = contractSection('4.5').blocks;
    await createFromView(client, dataOf(contractSection('4.3').blocks[0]));
    const res = await client.del(`${VAULT}/JOHNDOE`).expect(200);
    spec.assertValid('QPApiResponse', res.body);
    expect(res.body).toEqual(documented);
    const again = await client.del(`${VAULT}/JOHNDOE`).expect(404);
    expect(again.body).toEqual({ code: 7, message: 'Customer not found' });
    await client.get(`${VAULT}/JOHNDOE`).expect(404);
  });

  it('4.6 add a payment method: card example, then the ACH example', async () => {
    const client = await maastTenant(h());
    const section = contractSection('4.6');
    const [requestBody, documented, achElement] = section.blocks;
    const before = clone(dataOf(documented));
    before.billing_cards = cardsOf(before).slice(0, 1);
    const created = await createFromView(client, before);
    const res = await client.post(`${VAULT}/JOHNDOE/billing`, requestBody).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    const ids = idsOf(before, created);
    idsOf(dataOf(documented), res.body.data, ids);
    expect(res.body).toEqual(withIds(documented, ids));
    expect(cardsOf(res.body.data)[1].card_id).toMatch(/^[0-9a-f]{32}$/);

    const achRequest = section.inline.find((example) => 'dda_number' in example);
    const ach = await client.post(`${VAULT}/JOHNDOE/billing`, achRequest).expect(200);
    spec.assertValid('CustomerResponse', ach.body);
    const added = cardsOf(ach.body.data)[2];
    expect(added.card_id).toMatch(/^[0-9a-f]{32}$/);
    expect(added).toEqual({ ...achElement, card_id: added.card_id });
    expect(ach.text).not.toContain('3456776866');
  });

  it('4.7 list payment methods: the example response, and the empty list', async () => {
    const client = await maastTenant(h());
    const state = dataOf(contractSection('4.6').blocks[1]);
    const [documented] = contractSection('4.7').blocks;
    const created = await createFromView(client, state);
    const res = await client.get(`${VAULT}/JOHNDOE/billing`).expect(200);
    spec.assertValid('GetBillingResponse', res.body);
    expect(res.body).toEqual(withIds(documented, idsOf(state, created)));

    await client.post(VAULT, { customer_id: 'EMPTY1', customer_firm_name: 'Empty' }).expect(200);
    const empty = await client.get(`${VAULT}/EMPTY1/billing`).expect(200);
    spec.assertValid('GetBillingResponse', empty.body);
    expect(empty.body).toEqual({ code: 0, message: 'Success', data: { billing_cards: [] } });
  });

  it('4.8 update a payment method: the example request answers the example response', async () => {
    const client = await maastTenant(h());
    const [requestBody, documented] = contractSection('4.8').blocks;
    const before = clone(dataOf(documented));
    cardsOf(before)[1].exp_date = '1230';
    const created = await createFromView(client, before);
    const res = await client.put(`${VAULT}/JOHNDOE/billing`, requestBody).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    expect(res.body).toEqual(withIds(documented, idsOf(before, created)));
  });

  it('4.9 delete a payment method: the example request answers the example response', async () => {
    const client = await maastTenant(h());
    const section = contractSection('4.9');
    const [documented] = section.blocks;
    const before = clone(dataOf(documented));
    const second = cardsOf(dataOf(contractSection('4.10').blocks[0]))[1];
    before.billing_cards = [...cardsOf(before), { ...second, primary: false }];
    const created = await createFromView(client, before);
    const res = await client.put(`${VAULT}/JOHNDOE/billing/delete`, section.inline[0]).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    expect(res.body).toEqual(withIds(documented, idsOf(before, created)));
    // Deleting the last entry leaves [] and removes primary_card_number.
    const last = await client.put(`${VAULT}/JOHNDOE/billing/delete`, { card_id: cardsOf(res.body.data)[0].card_id }).expect(200);
    expect(last.body.data.billing_cards).toEqual([]);
    expect(last.body.data).not.toHaveProperty('primary_card_number');
  });

  it('4.10 set the primary payment method: the example request answers the example response', async () => {
    const client = await maastTenant(h());
    const section = contractSection('4.10');
    const [documented] = section.blocks;
    const before = clone(dataOf(documented));
    cardsOf(before)[0].primary = true;
    cardsOf(before)[1].primary = false;
    const created = await createFromView(client, before);
    expect(created.primary_card_number).toBe('411111xxxxxx1111');
    const res = await client.put(`${VAULT}/JOHNDOE/billing/primary`, section.inline[0]).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    expect(res.body).toEqual(withIds(documented, idsOf(before, created)));
  });

  it('4.11 add a shipping address: the example request answers the example response', async () => {
    const client = await maastTenant(h());
    const [requestBody, documented] = contractSection('4.11').blocks;
    const before = clone(dataOf(documented));
    before.shipping_addresses = shippingOf(before).slice(0, 1);
    const created = await createFromView(client, before);
    const res = await client.post(`${VAULT}/JOHNDOE/shipping`, requestBody).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    const ids = idsOf(before, created);
    idsOf(dataOf(documented), res.body.data, ids);
    expect(res.body).toEqual(withIds(documented, ids));
    expect(shippingOf(res.body.data)[1].shipping_id).toBeGreaterThan(shippingOf(res.body.data)[0].shipping_id as number);
  });

  /** Creates the customer a documented response shows, after `change` turned it back into the state before the request. */
  async function stateBefore(documented: View, change: (view: View) => void): Promise<{ client: Awaited<ReturnType<typeof maastTenant>>; ids: IdMap }> {
    const client = await maastTenant(h());
    const before = clone(documented);
    change(before);
    const created = await createFromView(client, before);
    return { client, ids: idsOf(before, created) };
  }
  /** Jane's address as 4.11 added it. */
  const janeAsAdded = (): Entry => ({ ...shippingOf(dataOf(contractSection('4.11').blocks[1]))[1] });

  it('4.12 list shipping addresses: the example response, and the empty list', async () => {
    const state = dataOf(contractSection('4.11').blocks[1]);
    const { client, ids } = await stateBefore(state, () => undefined);
    const [documented] = contractSection('4.12').blocks;
    const res = await client.get(`${VAULT}/JOHNDOE/shipping`).expect(200);
    spec.assertValid('GetShippingResponse', res.body);
    expect(res.body).toEqual(withIds(documented, ids));

    await client.post(VAULT, { customer_id: 'EMPTY2', customer_firm_name: 'Empty' }).expect(200);
    const empty = await client.get(`${VAULT}/EMPTY2/shipping`).expect(200);
    spec.assertValid('GetShippingResponse', empty.body);
    expect(empty.body).toEqual({ code: 0, message: 'Success', data: { shipping_addresses: [] } });
  });

  it('4.13 update a shipping address: the example request answers the example response', async () => {
    const [requestBody, documented] = contractSection('4.13').blocks;
    const { client, ids } = await stateBefore(dataOf(documented), (view) => {
      view.shipping_addresses = [{ ...shippingOf(view)[0], primary: true }, janeAsAdded()];
    });
    const res = await client.put(`${VAULT}/JOHNDOE/shipping`, withIds(requestBody, ids)).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    expect(res.body).toEqual(withIds(documented, ids));
  });

  it('4.14 delete a shipping address: the example path answers the example response', async () => {
    const section = contractSection('4.14');
    const [documented] = section.blocks;
    const { client, ids } = await stateBefore(dataOf(documented), (view) => {
      view.shipping_addresses = [...shippingOf(view), janeAsAdded()];
    });
    const path = section.text.match(/`DELETE \/platform\/vault\/customer\/JOHNDOE\/shipping\/([0-9]+)`/);
    const res = await client.del(`${VAULT}/JOHNDOE/shipping/${ids.shipping.get(Number(path?.[1]))}`).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    expect(res.body).toEqual(withIds(documented, ids));
  });

  it('4.15 set the primary shipping address: the example request answers the example response', async () => {
    const section = contractSection('4.15');
    const [documented] = section.blocks;
    const { client, ids } = await stateBefore(dataOf(documented), (view) => {
      shippingOf(view)[0].primary = true;
      shippingOf(view)[1].primary = false;
    });
    const res = await client.put(`${VAULT}/JOHNDOE/shipping/primary`, withIds(section.inline[0], ids)).expect(200);
    spec.assertValid('CustomerResponse', res.body);
    expect(res.body).toEqual(withIds(documented, ids));
  });

  it('serves the same routes under /maast and with a trailing slash', async () => {
    const client = await maastTenant(h());
    await client.post(VAULT, { customer_id: 'SLASH', customer_firm_name: 'Slash Inc' }).expect(200);
    const auth = 'Basic ' + Buffer.from(':' + client.key).toString('base64');
    const viaBase = await request(h().app).get('/maast/platform/vault/customer/SLASH').set('Authorization', auth).expect(200);
    spec.assertValid('CustomerResponse', viaBase.body);
    expect(viaBase.body.data.customer_id).toBe('SLASH');
    const slash = await request(h().app).get('/platform/vault/customer/').set('Authorization', auth).expect(200);
    spec.assertValid('CustomerListResponse', slash.body);
    expect(slash.body.totalRecords).toBe(1);
  });
});

/**
 * Routes 6–14: addresses, cards and bank accounts, replaying §4.6–§4.14, with the default rules of
 * §8.1 and the duplicate rule of §8.2.
 */
import { describeEachDatabase } from '../../support/harness';
import { client, DOCUMENTED_ACH, DOCUMENTED_ADDRESS, DOCUMENTED_CREATE, fluidpayTenant, XID } from './support';

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeEachDatabase('fluidpay addresses and payment methods', (h) => {
  async function documentedCustomer() {
    const t = await fluidpayTenant(h());
    const api = client(h(), t.key);
    const created = await api.post('/api/vault/customer', DOCUMENTED_CREATE).expect(200);
    return { t, api, id: created.body.data.id as string, record: created.body.data as Wire };
  }

  describe('addresses (§4.6–4.8)', () => {
    it('adds the documented address without touching defaults, then updates it as documented', async () => {
      const { api, id, record } = await documentedCustomer();
      const added = await api.post(`/api/vault/customer/${id}/address`, DOCUMENTED_ADDRESS).expect(200);
      const newId = added.body.data.created_address_id;
      expect(newId).toMatch(XID);
      const customer = added.body.data.data.customer;
      expect(customer.defaults).toEqual(record.data.customer.defaults);
      expect(customer.addresses[0]).toEqual(record.data.customer.addresses[0]);
      expect(customer.addresses[1]).toEqual({
        id: newId,
        first_name: 'John',
        last_name: 'Smith',
        company: '',
        line_1: '500 Market St',
        line_2: '',
        city: 'Chicago',
        state: 'IL',
        postal_code: '60601',
        country: 'US',
        email: '',
        phone: '',
        fax: '',
        hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      });
      const updated = await api.post(`/api/vault/customer/${id}/address/${newId}`, { line_2: 'Floor 3', phone: '3125550100' }).expect(200);
      const after = updated.body.data.data.customer.addresses[1];
      expect(after).toMatchObject({ id: newId, line_1: '500 Market St', line_2: 'Floor 3', phone: '3125550100' });
      expect(after.hash).not.toBe(customer.addresses[1].hash);
      expect(updated.body.data).not.toHaveProperty('created_address_id');
    });

    it('refuses duplicates (also after normalisation), empty addresses, and keeps defaults consistent on delete', async () => {
      const { api, id, record } = await documentedCustomer();
      const first = record.data.customer.addresses[0];
      const dup = await api.post(`/api/vault/customer/${id}/address`, { ...DOCUMENTED_CREATE.default_billing_address, city: '  some   TOWN ' }).expect(400);
      expect(dup.body).toEqual({ status: 'failed', msg: 'invalid: would create a duplicate address' });
      expect((await api.post(`/api/vault/customer/${id}/address`, { first_name: '', id: 'x' }).expect(400)).body.msg).toBe('bad request error: body: at least one address field is required');
      expect((await api.post(`/api/vault/customer/${id}/address`, { email: 'a@b' }).expect(400)).body.msg).toBe('bad request error: email: invalid email');
      expect((await api.post(`/api/vault/customer/${id}/address`, { city: 5 }).expect(400)).body.msg).toBe('bad request error: city: must be a string');
      expect((await api.post(`/api/vault/customer/${id}/address`, { company: 'c'.repeat(101) }).expect(400)).body.msg).toBe('bad request error: company: must be at most 100 characters');
      const second = (await api.post(`/api/vault/customer/${id}/address`, DOCUMENTED_ADDRESS).expect(200)).body.data.created_address_id;
      // Updating the second into a copy of the first is a duplicate; clearing every field is refused.
      await api.post(`/api/vault/customer/${id}/address/${second}`, { ...DOCUMENTED_CREATE.default_billing_address }).expect(400, { status: 'failed', msg: 'invalid: would create a duplicate address' });
      const blank = Object.fromEntries(Object.keys(DOCUMENTED_CREATE.default_billing_address).map((k) => [k, '']));
      expect((await api.post(`/api/vault/customer/${id}/address/${second}`, blank).expect(400)).body.msg).toBe('bad request error: body: at least one address field is required');
      // An address id of another customer, or a payment method id, is not an address of this customer.
      const other = await api.post('/api/vault/customer', { default_billing_address: { first_name: 'Other' } }).expect(200);
      const otherAddress = other.body.data.data.customer.addresses[0].id;
      await api.post(`/api/vault/customer/${id}/address/${otherAddress}`, { city: 'x' }).expect(404, { status: 'failed', msg: 'not found' });
      await api.delete(`/api/vault/customer/${id}/address/${record.data.customer.payments.cards[0].id}`).expect(404);
      // Deleting the address both defaults point at clears both; nothing is promoted.
      expect((await api.delete(`/api/vault/customer/${id}/address/${first.id}`).expect(200)).body).toEqual({ status: 'success', msg: 'success', data: null });
      const got = (await api.get(`/api/vault/${id}`).expect(200)).body.data.data.customer;
      expect(got.addresses.map((a: Wire) => a.id)).toEqual([second]);
      expect(got.defaults).toMatchObject({ billing_address_id: '', shipping_address_id: '' });
      await api.delete(`/api/vault/customer/${id}/address/${first.id}`).expect(404);
      await api.post(`/api/vault/customer/${id}`, { defaults: { billing_address_id: first.id } }).expect(400, { status: 'failed', msg: 'bad request error: defaults.billing_address_id: address not found' });
    });
    it('hashes the same address differently in two tenants, and identically within one (§6.6)', async () => {
      const a = await documentedCustomer();
      const b = await documentedCustomer();
      const again = await a.api.post('/api/vault/customer', DOCUMENTED_CREATE).expect(200);
      const hashOf = (record: Wire) => record.data.customer.addresses[0].hash;
      expect(hashOf(again.body.data)).toBe(hashOf(a.record));
      expect(hashOf(b.record)).not.toBe(hashOf(a.record));
    });
  });

  describe('cards (§4.9–4.11)', () => {
    it('adds the documented card (not the default), updates it as documented, deletes it', async () => {
      const { api, id, record } = await documentedCustomer();
      const added = await api.post(`/api/vault/customer/${id}/card?validate=true`, { number: '4005519200000004', expiration_date: '1227', cvc: '999' }).expect(200);
      const cardId = added.body.data.created_payment_method_id;
      const customer = added.body.data.data.customer;
      expect(customer.defaults).toEqual(record.data.customer.defaults);
      expect(customer.payments.cards[1]).toEqual({ id: cardId, card_type: 'visa', masked_number: '400551******0004', expiration_date: '12/27', flags: [], processor_id: '' });
      const updated = await api.post(`/api/vault/customer/${id}/card/${cardId}`, { expiration_date: '01/31', flags: ['surcharge_exempt'] }).expect(200);
      expect(updated.body.data.data.customer.payments.cards[1]).toEqual({ id: cardId, card_type: 'visa', masked_number: '400551******0004', expiration_date: '01/31', flags: ['surcharge_exempt'], processor_id: '' });
      // A new number keeps the id and position; mask and type are recomputed.
      const renumbered = await api.post(`/api/vault/customer/${id}/card/${cardId}`, { number: '378282246310005' }).expect(200);
      expect(renumbered.body.data.data.customer.payments.cards[1]).toMatchObject({ id: cardId, card_type: 'amex', masked_number: '378282*****0005', expiration_date: '01/31' });
      // An empty body changes nothing but updated_at.
      await api.post(`/api/vault/customer/${id}/card/${cardId}`, {}).expect(200);
      // The default card deleted: the default is cleared, not promoted.
      const defaultCard = record.data.customer.payments.cards[0].id;
      await api.delete(`/api/vault/customer/${id}/card/${defaultCard}`).expect(200, { status: 'success', msg: 'success', data: null });
      const got = (await api.get(`/api/vault/${id}`).expect(200)).body.data.data.customer;
      expect(got.payments.cards.map((c: Wire) => c.id)).toEqual([cardId]);
      expect(got.defaults).toMatchObject({ payment_method_id: '', payment_method_type: '' });
      // The next card added to a customer without a default becomes the default.
      const third = await api.post(`/api/vault/customer/${id}/card`, { card_number: '6011111111111117', expiration_date: '0930' }).expect(200);
      expect(third.body.data.data.customer.defaults).toMatchObject({ payment_method_id: third.body.data.created_payment_method_id, payment_method_type: 'card' });
      expect(third.body.data.data.customer.payments.cards[1]).toMatchObject({ card_type: 'discover', masked_number: '601111******1117' });
    });

    it('validates card fields and the validate flag on the resulting card', async () => {
      const { api, id, record } = await documentedCustomer();
      const cardId = record.data.customer.payments.cards[0].id;
      const msg = async (path: string, body: unknown) => (await api.post(path, body).expect(400)).body.msg;
      expect(await msg(`/api/vault/customer/${id}/card`, { number: '4111111111111112', expiration_date: '1230' })).toBe('bad request error: number: invalid card number');
      expect(await msg(`/api/vault/customer/${id}/card`, { number: '4111 1111 1111 1111', expiration_date: '1230' })).toBe('bad request error: number: invalid card number');
      expect(await msg(`/api/vault/customer/${id}/card`, { expiration_date: '1230' })).toBe('bad request error: number: required');
      expect(await msg(`/api/vault/customer/${id}/card`, { number: '4111111111111111', expiration_date: '2030-12' })).toBe('bad request error: expiration_date: invalid expiration date');
      expect(await msg(`/api/vault/customer/${id}/card`, { number: '4111111111111111', expiration_date: '0030' })).toBe('bad request error: expiration_date: invalid expiration date');
      expect(await msg(`/api/vault/customer/${id}/card`, { number: 4111111111111111, expiration_date: '1230' })).toBe('bad request error: number: must be a string');
      expect(await msg(`/api/vault/customer/${id}/card`, { number: '4111111111111111', expiration_date: '1230', cvc: '12345' })).toBe('bad request error: cvc: invalid cvc');
      await api.post(`/api/vault/customer/${id}/card/${cardId}`, { expiration_date: '0120' }).expect(200);
      expect(await msg(`/api/vault/customer/${id}/card/${cardId}?validate=true`, {})).toBe('bad request error: expiration_date: card is expired');
      const got = (await api.get(`/api/vault/${id}`).expect(200)).body.data.data.customer;
      expect(got.payments.cards).toHaveLength(1);
    });
  });

  describe('bank accounts (§4.12–4.14)', () => {
    it('replays the documented ACH add and update on cust001, then deletes it', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      await api.post('/api/vault/customer', { id: 'cust001', description: 'x' }).expect(200);
      const added = await api.post('/api/vault/customer/cust001/ach', DOCUMENTED_ACH).expect(200);
      const achId = added.body.data.created_payment_method_id;
      expect(added.body.data).toMatchObject({ id: 'cust001', owner_id: t.ownerId });
      expect(added.body.data.data.customer).toEqual({
        addresses: [],
        defaults: { billing_address_id: '', shipping_address_id: '', payment_method_id: achId, payment_method_type: 'ach' },
        description: 'x',
        notes: '',
        flags: [],
        payments: { cards: [], ach: [{ id: achId, account_type: 'checking', sec_code: 'web', masked_account_number: 'XXXXXX7890', routing_number: '123123123', flags: [], processor_id: '' }] },
      });
      const updated = await api.post(`/api/vault/customer/cust001/ach/${achId}`, { account_type: 'savings', sec_code: 'ppd' }).expect(200);
      expect(updated.body.data.data.customer.payments.ach[0]).toEqual({ id: achId, account_type: 'savings', sec_code: 'ppd', masked_account_number: 'XXXXXX7890', routing_number: '123123123', flags: [], processor_id: '' });
      const renumbered = await api.post(`/api/vault/customer/cust001/ach/${achId}`, { account_number: '9876543210123', routing_number: '021000021' }).expect(200);
      expect(renumbered.body.data.data.customer.payments.ach[0]).toMatchObject({ id: achId, masked_account_number: 'XXXXXXXXX0123', routing_number: '021000021' });
      // A bank account id on a card route (and the reverse) is not found.
      await api.delete(`/api/vault/customer/cust001/card/${achId}`).expect(404, { status: 'failed', msg: 'not found' });
      await api.post(`/api/vault/customer/cust001/card/${achId}`, {}).expect(404);
      await api.delete(`/api/vault/customer/cust001/ach/${achId}`).expect(200, { status: 'success', msg: 'success', data: null });
      const got = (await api.get('/api/vault/cust001').expect(200)).body.data.data.customer;
      expect(got.payments.ach).toEqual([]);
      expect(got.defaults.payment_method_type).toBe('');
    });

    it('validates the ACH fields in table order', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      await api.post('/api/vault/customer', { id: 'a1' }).expect(200);
      const msg = async (body: unknown) => (await api.post('/api/vault/customer/a1/ach', body).expect(400)).body.msg;
      expect(await msg({})).toBe('bad request error: account_number: required');
      expect(await msg({ ...DOCUMENTED_ACH, account_number: '123' })).toBe('bad request error: account_number: invalid account number');
      expect(await msg({ ...DOCUMENTED_ACH, routing_number: '12312312a' })).toBe('bad request error: routing_number: invalid routing number');
      expect(await msg({ ...DOCUMENTED_ACH, account_type: 'business' })).toBe('bad request error: account_type: must be checking or savings');
      expect(await msg({ ...DOCUMENTED_ACH, sec_code: 'tel' })).toBe('bad request error: sec_code: must be web, ccd or ppd');
      expect(await msg({ ...DOCUMENTED_ACH, flags: ['nope'] })).toBe('bad request error: flags[0]: invalid flag');
      expect((await api.get('/api/vault/a1').expect(200)).body.data.data.customer.payments.ach).toEqual([]);
    });
  });
});

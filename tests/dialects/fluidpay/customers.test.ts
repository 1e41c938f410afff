/**
 * Routes 1, 2, 4, 5: the contract's documented examples replayed verbatim (§4.1, §4.2, §4.4, §4.5)
 * and the "other create bodies" table of §4.1.
 */
import request from 'supertest';
import { xidToObjectId } from '../../../core/ids';
import { describeEachDatabase } from '../../support/harness';
import { client, DOCUMENTED_CREATE, fluidpayTenant, RFC3339_MS, tokenize, UUID_V4, XID } from './support';

describeEachDatabase('fluidpay customers', (h) => {
  describe('POST /api/vault/customer (§4.1)', () => {
    it('stores the documented example and answers the documented record', async () => {
      const t = await fluidpayTenant(h());
      h().setNow(Date.parse('2024-05-14T15:04:05.123Z'));
      try {
        const res = await client(h(), t.key).post('/api/vault/customer', DOCUMENTED_CREATE).expect(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.headers['x-correlation-id']).toMatch(UUID_V4);
        const { data } = res.body;
        const address = data.data.customer.addresses[0];
        const card = data.data.customer.payments.cards[0];
        expect(res.body).toEqual({
          status: 'success',
          msg: 'success',
          data: {
            id: expect.stringMatching(XID),
            owner_id: t.ownerId,
            data: {
              customer: {
                addresses: [
                  {
                    id: expect.stringMatching(XID),
                    first_name: 'John',
                    last_name: 'Smith',
                    company: 'Some Business',
                    line_1: '123 Some St',
                    line_2: 'STE 1',
                    city: 'Some Town',
                    state: 'IL',
                    postal_code: '60187',
                    country: 'US',
                    email: 'user@somesite.com',
                    phone: '5555555555',
                    fax: '5555555556',
                    hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
                  },
                ],
                defaults: { billing_address_id: address.id, shipping_address_id: address.id, payment_method_id: card.id, payment_method_type: 'card' },
                description: 'test description',
                notes: '',
                flags: ['surcharge_exempt'],
                payments: {
                  cards: [{ id: expect.stringMatching(XID), card_type: 'visa', masked_number: '411111******1111', expiration_date: '12/30', flags: [], processor_id: '' }],
                  ach: [],
                },
              },
            },
            created_at: '2024-05-14T15:04:05.123Z',
            updated_at: '2024-05-14T15:04:05.123Z',
          },
        });
        // xids embed the creation second (§5.1), like the contract's `cp1nqpaq3ou114hqfs90` for 2024-05-14T15:04:05Z.
        for (const xid of [data.id, address.id, card.id]) expect(parseInt(xidToObjectId(xid)!.slice(0, 8), 16)).toBe(Date.parse('2024-05-14T15:04:05Z') / 1000);
        expect(xidToObjectId('cp1nqpaq3ou114hqfs90')!.slice(0, 8)).toBe(xidToObjectId(data.id)!.slice(0, 8));
        expect(t.ownerId).toMatch(XID);
      } finally {
        h().setNow(null);
      }
    });

    it('keeps created_at equal to updated_at on the real clock (§6.5)', async () => {
      const t = await fluidpayTenant(h());
      const res = await client(h(), t.key).post('/api/vault/customer', DOCUMENTED_CREATE).expect(200);
      expect(res.body.data.created_at).toMatch(RFC3339_MS);
      expect(res.body.data.updated_at).toBe(res.body.data.created_at);
    });

    it('answers the other documented create bodies as the contract lists', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      const plain = await api.post('/api/vault/customer', { id: 'cust001', description: 'x' }).expect(200);
      expect(plain.body.data.id).toBe('cust001');
      expect(plain.body.data.data.customer).toEqual({
        addresses: [],
        defaults: { billing_address_id: '', shipping_address_id: '', payment_method_id: '', payment_method_type: '' },
        description: 'x',
        notes: '',
        flags: [],
        payments: { cards: [], ach: [] },
      });
      expect((await api.post('/api/vault/customer', { id: 'cust001' }).expect(400)).body).toEqual({ status: 'failed', msg: 'bad request error: customer id already exists' });
      expect((await api.post('/api/vault/customer', { id: 'cust-001' }).expect(400)).body.msg).toBe('bad request error: id: must be 1-40 characters of a-z, A-Z, 0-9');
      expect((await api.post('/api/vault/customer', { id: 'abc', id_format: 'xid_type_last4' }).expect(400)).body.msg).toBe('bad request error: id_format: cannot be used with a custom id');
      const formatted = await api
        .post('/api/vault/customer', { id_format: 'xid_type_last4', default_payment: { card: { number: '5454545454545454', expiration_date: '0129' } } })
        .expect(200);
      expect(formatted.body.data.id).toMatch(/^[0-9a-v]{19}[0g]_mastercard_5454$/);
      expect(formatted.body.data.data.customer.payments.cards[0]).toMatchObject({ card_type: 'mastercard', masked_number: '545454******5454', expiration_date: '01/29' });
      expect((await api.post('/api/vault/customer', { default_payment: { card: { number: '4111111111111111' } } }).expect(400)).body.msg).toBe(
        'bad request error: default_payment.card.expiration_date: required',
      );
      const token = await tokenize(h(), t.publicKey, { card: { number: '5454545454545454', expiration_date: '01/29', cvc: '123' } });
      const fromToken = await api.post('/api/vault/customer', { default_payment: { token } }).expect(200);
      const tokenCard = fromToken.body.data.data.customer.payments.cards[0];
      expect(tokenCard).toMatchObject({ card_type: 'mastercard', masked_number: '545454******5454', expiration_date: '01/29' });
      expect(fromToken.body.data.data.customer.defaults).toMatchObject({ payment_method_id: tokenCard.id, payment_method_type: 'card' });
      expect((await api.post('/api/vault/customer', { default_payment: { token } }).expect(400)).body).toEqual({ status: 'failed', msg: 'bad request error: invalid token' });
      const expired = await api.post('/api/vault/customer?validate=true', { default_payment: { card: { number: '4111111111111111', expiration_date: '0120' } } }).expect(400);
      expect(expired.body.msg).toBe('bad request error: default_payment.card.expiration_date: card is expired');
      // Without the flag an expired card is stored (§8.7); `authorize` acts like `validate`.
      await api.post('/api/vault/customer', { default_payment: { card: { number: '4111111111111111', expiration_date: '0120' } } }).expect(200);
      await api.post('/api/vault/customer?authorize=TRUE', { default_payment: { card: { number: '4111111111111111', expiration_date: '0120' } } }).expect(400);
      await api.post('/api/vault/customer?validate=yes', { default_payment: { card: { number: '4111111111111111', expiration_date: '0120' } } }).expect(200);
    });

    it('stores an ACH default, a different shipping address, and id_format without a card as a plain xid', async () => {
      const t = await fluidpayTenant(h());
      const res = await client(h(), t.key)
        .post('/api/vault/customer', {
          id_format: 'xid_type_last4',
          notes: 'created with notes',
          default_payment: { ach: { account_number: '1234567890', routing_number: '123123123', account_type: 'savings', sec_code: 'ccd' } },
          default_billing_address: { first_name: 'A', address_line_1: '1 Alias Rd' },
          default_shipping_address: { first_name: 'B', country: 'ca' },
        })
        .expect(200);
      const customer = res.body.data.data.customer;
      expect(res.body.data.id).toMatch(XID);
      expect(customer.notes).toBe('created with notes');
      expect(customer.addresses.map((a: { first_name: string; line_1: string; country: string }) => [a.first_name, a.line_1, a.country])).toEqual([
        ['A', '1 Alias Rd', ''],
        ['B', '', 'CA'],
      ]);
      expect(customer.defaults).toEqual({
        billing_address_id: customer.addresses[0].id,
        shipping_address_id: customer.addresses[1].id,
        payment_method_id: customer.payments.ach[0].id,
        payment_method_type: 'ach',
      });
      expect(customer.payments.ach[0]).toEqual({
        id: expect.stringMatching(XID),
        account_type: 'savings',
        sec_code: 'ccd',
        masked_account_number: 'XXXXXX7890',
        routing_number: '123123123',
        flags: [],
        processor_id: '',
      });
    });

    it('accepts the null-filled bodies official SDKs send', async () => {
      const t = await fluidpayTenant(h());
      const res = await client(h(), t.key)
        .post('/api/vault/customer', {
          id: null,
          id_format: null,
          description: 'sdk',
          flags: null,
          default_payment: { card: { id: null, number: '4111111111111111', expiration_date: '1230', card_type: null, masked_number: null, cvc: null }, ach: null, token: null },
          default_billing_address: { first_name: 'Sam', last_name: null, email: null },
          default_shipping_address: null,
        })
        .expect(200);
      expect(res.body.data.data.customer.addresses).toHaveLength(1);
      expect(res.body.data.data.customer.defaults.shipping_address_id).toBe('');
    });
  });

  describe('GET /api/vault/{id} (§4.2)', () => {
    it('answers the same record as the create, and 404 for unknown or case-changed ids', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      const created = await api.post('/api/vault/customer', DOCUMENTED_CREATE).expect(200);
      const got = await api.get(`/api/vault/${created.body.data.id}`).expect(200);
      expect(got.body).toEqual(created.body);
      await api.post('/api/vault/customer', { id: 'Cust1' }).expect(200);
      await api.post('/api/vault/customer', { id: 'cust1' }).expect(200);
      expect((await api.get('/api/vault/CUST1').expect(404)).body).toEqual({ status: 'failed', msg: 'not found' });
      await api.get('/api/vault/Cust1/').expect(200); // trailing slash tolerated
      await request(h().app).get(`/fluidpay/api/vault/Cust1`).set('Authorization', t.key).expect(200); // dialect base path
    });
  });

  describe('POST /api/vault/customer/{id} (§4.4)', () => {
    it('replays the documented update: description, notes and the default card', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      const created = await api.post('/api/vault/customer', DOCUMENTED_CREATE).expect(200);
      const id = created.body.data.id;
      h().setNow(Date.now() + 5000);
      try {
        const added = await api.post(`/api/vault/customer/${id}/card?validate=true`, { number: '4005519200000004', expiration_date: '1227', cvc: '999' }).expect(200);
        const second = added.body.data.created_payment_method_id;
        const updated = await api
          .post(`/api/vault/customer/${id}`, { description: 'vip customer', notes: 'prefers e-mail', defaults: { payment_method_id: second, payment_method_type: 'card' } })
          .expect(200);
        const customer = updated.body.data.data.customer;
        expect(customer.description).toBe('vip customer');
        expect(customer.notes).toBe('prefers e-mail');
        expect(customer.flags).toEqual(['surcharge_exempt']);
        expect(customer.defaults).toEqual({ ...created.body.data.data.customer.defaults, payment_method_id: second, payment_method_type: 'card' });
        expect(customer.payments.cards.map((c: { masked_number: string; expiration_date: string }) => [c.masked_number, c.expiration_date])).toEqual([
          ['411111******1111', '12/30'],
          ['400551******0004', '12/27'],
        ]);
        expect(updated.body.data.created_at).toBe(created.body.data.created_at);
        expect(Date.parse(updated.body.data.updated_at)).toBeGreaterThan(Date.parse(created.body.data.updated_at));
        expect(updated.body.data).not.toHaveProperty('created_payment_method_id');
      } finally {
        h().setNow(null);
      }
    });

    it('clears with "", replaces flags wholesale, ignores other keys, and checks the defaults pair', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      const created = await api.post('/api/vault/customer', DOCUMENTED_CREATE).expect(200);
      const id = created.body.data.id;
      const res = await api
        .post(`/api/vault/customer/${id}`, { id: 'other', description: '', flags: [], defaults: { billing_address_id: '', payment_method_id: '', payment_method_type: '' }, default_payment: { token: 'x' } })
        .expect(200);
      expect(res.body.data.id).toBe(id);
      const customer = res.body.data.data.customer;
      expect([customer.description, customer.flags]).toEqual(['', []]);
      expect(customer.defaults).toEqual({ billing_address_id: '', shipping_address_id: customer.addresses[0].id, payment_method_id: '', payment_method_type: '' });
      const card = customer.payments.cards[0].id;
      const msg = async (body: unknown) => (await api.post(`/api/vault/customer/${id}`, body).expect(400)).body.msg;
      expect(await msg({ defaults: { billing_address_id: 'cp1nqpaq3ou114hqfs80' } })).toBe('bad request error: defaults.billing_address_id: address not found');
      expect(await msg({ defaults: { payment_method_id: card, payment_method_type: 'ach' } })).toBe('bad request error: defaults.payment_method_id: payment method not found');
      expect(await msg({ defaults: { payment_method_id: card } })).toBe('bad request error: defaults.payment_method_type: required with payment_method_id');
      expect(await msg({ defaults: { payment_method_type: 'card' } })).toBe('bad request error: defaults.payment_method_id: required with payment_method_type');
      expect(await msg({ notes: 'n'.repeat(256) })).toBe('bad request error: notes: must be at most 255 characters');
      expect(await msg({ flags: 'surcharge_exempt' })).toBe('bad request error: flags: must be an array of strings');
      // Nothing of the failed updates was written.
      expect((await api.get(`/api/vault/${id}`).expect(200)).body.data.data.customer).toEqual(customer);
    });
  });

  describe('DELETE /api/vault/{id} (§4.5)', () => {
    it('deletes, answers data null, 404s afterwards, frees the custom id and destroys the numbers', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      await api.post('/api/vault/customer', { ...DOCUMENTED_CREATE, id: 'gone1' }).expect(200);
      const res = await api.delete('/api/vault/gone1').expect(200);
      expect(res.body).toEqual({ status: 'success', msg: 'success', data: null });
      expect(res.headers['x-correlation-id']).toMatch(UUID_V4);
      await api.delete('/api/vault/gone1').expect(404);
      await api.get('/api/vault/gone1').expect(404);
      const reused = await api.post('/api/vault/customer', { id: 'gone1' }).expect(200);
      expect(reused.body.data.data.customer.payments.cards).toEqual([]);
      const tables = await h().dumpTables();
      const purged = tables.payment_method.filter((row) => row.tenant_id === t.tenantId);
      expect(purged.length).toBeGreaterThan(0);
      for (const row of purged) expect(row.secret ?? null).toBeNull();
    });
  });
});

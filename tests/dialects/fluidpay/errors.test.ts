/**
 * The error table F1–F11 and the order of checks (§2, §3.3, §3.5): every failure in the dialect's
 * envelope, another tenant's ids answering exactly like unknown ids, and nothing written on failure.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/harness';
import { client, DOCUMENTED_CREATE, fluidpayTenant, UUID_V4 } from './support';

const UNAUTHORIZED = { status: 'failed', msg: 'unauthorized' };
const NOT_FOUND = { status: 'failed', msg: 'not found' };

describeEachDatabase('fluidpay errors', (h) => {
  describe('F1 authentication (§2)', () => {
    it('accepts the raw key and a Bearer-prefixed key', async () => {
      const t = await fluidpayTenant(h());
      const created = (res: { body: { status?: string; msg?: string; data?: { id?: unknown } } }) =>
        expect([res.body.status, res.body.msg, typeof res.body.data?.id]).toEqual(['success', 'success', 'string']);
      await request(h().app).post('/api/vault/customer').set('Authorization', t.key).send({}).expect(200).expect(created);
      await request(h().app).post('/api/vault/customer').set('Authorization', `Bearer ${t.key}`).send({}).expect(200).expect(created);
      await request(h().app).post('/api/vault/customer').set('Authorization', `  bearer  ${t.key} `).send({}).expect(200).expect(created);
    });

    it('answers every refusal with the same 401 body', async () => {
      const t = await fluidpayTenant(h());
      const other = await h().createTenant({ dialects: ['maast', 'fluidpay'] });
      const post = (auth?: string) => {
        const r = request(h().app).post('/api/vault/customer/search');
        return (auth === undefined ? r : r.set('Authorization', auth)).send({});
      };
      const refusals = [
        post(),
        post(''),
        post('   '),
        post('api_thisKeyDoesNotExist00000000000000'),
        post('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'),
        post(t.publicKey), // public key on a vault route
        post(other.keys.maast), // another dialect's key
        post(`Basic ${Buffer.from(':' + t.key).toString('base64')}`),
      ];
      for (const res of await Promise.all(refusals)) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual(UNAUTHORIZED);
        expect(res.headers['x-correlation-id']).toMatch(UUID_V4);
      }
      // Secret key on the tokenizer.
      await request(h().app).post('/api/tokenizer/token').set('Authorization', t.key).send({ card: { number: '4111111111111111', expiration_date: '1230' } }).expect(401, UNAUTHORIZED);
    });

    it('refuses revoked keys and tenants with the dialect disabled', async () => {
      const t = await fluidpayTenant(h());
      await h().setDialectEnabled(t.tenantId, 'fluidpay', false);
      await client(h(), t.key).get('/api/vault/x').expect(401, UNAUTHORIZED);
      await request(h().app).post('/api/tokenizer/token').set('Authorization', t.publicKey).send({}).expect(401, UNAUTHORIZED);
      await h().setDialectEnabled(t.tenantId, 'fluidpay', true);
      await client(h(), t.key).get('/api/vault/x').expect(404, NOT_FOUND);
      await h().revokeKey(t.key);
      await client(h(), t.key).get('/api/vault/x').expect(401, UNAUTHORIZED);
    });
  });

  describe('F4 routes (§1.2, Appendix A)', () => {
    it('answers 404 not found for unknown routes and methods before looking at the key', async () => {
      for (const [method, path] of [
        ['post', '/api/customer'],
        ['get', '/api/customer/abc'],
        ['post', '/api/customer/search'],
        ['put', '/api/vault/customer/abc'],
        ['patch', '/api/vault/abc'],
        ['get', '/api/vault/customer/abc/address'],
        ['get', '/api/vault'],
        ['post', '/api/vault/customer/abc/paypal'],
        ['get', '/fluidpay/api/nothing'],
        ['get', '/fluidpay/whatever'],
        ['options', '/api/vault/customer'],
        ['options', '/fluidpay/api/vault/abc'],
      ] as const) {
        const res = await request(h().app)[method](path);
        expect([method, path, res.status, res.body]).toEqual([method, path, 404, NOT_FOUND]);
        expect(res.headers['x-correlation-id']).toMatch(UUID_V4);
      }
    });
  });

  describe('F5 bodies', () => {
    it('reports malformed JSON and non-object bodies after authentication', async () => {
      const t = await fluidpayTenant(h());
      const raw = (auth: string | null, text: string) => {
        const r = request(h().app).post('/api/vault/customer').set('Content-Type', 'application/json');
        return (auth ? r.set('Authorization', auth) : r).send(text);
      };
      await raw(null, '{"id":').expect(401, UNAUTHORIZED);
      await raw(t.key, '{"id":').expect(400, { status: 'failed', msg: 'bad request error: body: malformed JSON' });
      await raw(t.key, '[{"id":"a"}]').expect(400, { status: 'failed', msg: 'bad request error: body: must be a JSON object' });
      await raw(t.key, '"text"').expect(400, { status: 'failed', msg: 'bad request error: body: must be a JSON object' });
      // Whatever the Content-Type says, the body is read as JSON.
      await request(h().app).post('/api/vault/customer').set('Authorization', t.key).set('Content-Type', 'text/plain').send('{"id":"plain1"}').expect(200).expect((res) => expect(res.body.data.id).toBe('plain1'));
    });
  });

  describe('F2/F3 ids of another tenant answer exactly like unknown ids', () => {
    it('on every route that takes an id', async () => {
      const mine = await fluidpayTenant(h());
      const theirs = await fluidpayTenant(h());
      const their = client(h(), theirs.key);
      const created = (await their.post('/api/vault/customer', { ...DOCUMENTED_CREATE, id: 'shared1' }).expect(200)).body.data;
      const theirAddress = created.data.customer.addresses[0].id;
      const theirCard = created.data.customer.payments.cards[0].id;
      const api = client(h(), mine.key);
      await api.post('/api/vault/customer', { id: 'mine1' }).expect(200);
      const answers = await Promise.all([
        api.get('/api/vault/shared1'),
        api.get('/api/vault/nobody'),
        api.delete('/api/vault/shared1'),
        api.post('/api/vault/customer/shared1', { description: 'x' }),
        api.post('/api/vault/customer/shared1/address', { city: 'x' }),
        api.post('/api/vault/customer/shared1/card', { number: '4111111111111111', expiration_date: '1230' }),
        api.post('/api/vault/customer/shared1/ach', {}),
        api.post('/api/vault/customer/shared1/token', { token: 'x' }),
        api.post('/api/vault/customer/shared1/googlepay', {}),
        api.post(`/api/vault/customer/mine1/address/${theirAddress}`, { city: 'x' }),
        api.delete(`/api/vault/customer/mine1/address/${theirAddress}`),
        api.post(`/api/vault/customer/mine1/card/${theirCard}`, {}),
        api.delete(`/api/vault/customer/mine1/card/${theirCard}`),
        api.post(`/api/vault/customer/mine1/token/${theirCard}`, { token: 'x' }),
      ]);
      for (const res of answers) expect([res.status, res.body]).toEqual([404, NOT_FOUND]);
      // Their data is untouched; their ids are not findable by search either.
      expect((await their.get('/api/vault/shared1').expect(200)).body.data).toEqual(created);
      const search = await api.post('/api/vault/customer/search', { address_id: { operator: '=', value: theirAddress } }).expect(200);
      expect([search.body.data, search.body.total_count]).toEqual([[], 0]);
      // defaults pointing at their objects are "not found" (400), as for unknown ids.
      expect((await api.post('/api/vault/customer/mine1', { defaults: { billing_address_id: theirAddress } }).expect(400)).body.msg).toBe(
        'bad request error: defaults.billing_address_id: address not found',
      );
    });

    it('checks the customer before the body fields (§3.5)', async () => {
      const t = await fluidpayTenant(h());
      await client(h(), t.key).post('/api/vault/customer/nobody', { description: 5 }).expect(404, NOT_FOUND);
      await client(h(), t.key).post('/api/vault/customer/nobody/card', { number: 'x' }).expect(404, NOT_FOUND);
    });
  });

  describe('nothing is written when a check fails (§3.5)', () => {
    it('leaves every table unchanged after a series of failing requests', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      const created = (await api.post('/api/vault/customer', { ...DOCUMENTED_CREATE, id: 'keep1' }).expect(200)).body.data;
      const count = async () => {
        const tables = await h().dumpTables();
        return ['customer', 'address', 'payment_method'].map((table) => tables[table].filter((row) => row.tenant_id === t.tenantId || table !== 'customer').length);
      };
      const before = await count();
      const failures = [
        api.post('/api/vault/customer', { ...DOCUMENTED_CREATE, id: 'keep1' }), // F7 after addresses and card were read
        api.post('/api/vault/customer', { ...DOCUMENTED_CREATE, default_shipping_address: { email: 'no' } }),
        api.post('/api/vault/customer', { ...DOCUMENTED_CREATE, default_payment: { card: { number: '4111111111111111', expiration_date: '1399' } } }),
        api.post('/api/vault/customer', { description: 'd'.repeat(256), default_payment: { card: { number: '4111111111111111', expiration_date: '1230' } } }),
        api.post('/api/vault/customer/keep1/address', DOCUMENTED_CREATE.default_billing_address),
        api.post('/api/vault/customer/keep1/card', { number: '4111111111111111', expiration_date: '1230', flags: ['x'] }),
        api.post('/api/vault/customer/keep1', { description: 'changed', defaults: { shipping_address_id: 'nope' } }),
        api.post(`/api/vault/customer/keep1/card/${created.data.customer.payments.cards[0].id}`, { number: '4111111111111112' }),
      ];
      for (const res of await Promise.all(failures)) expect(res.status).toBe(400);
      expect(await count()).toEqual(before);
      expect((await api.get('/api/vault/keep1').expect(200)).body.data).toEqual(created);
    });
  });

  describe('x-correlation-id (§5.6)', () => {
    it('is a fresh UUID per response and never echoes the client value', async () => {
      const t = await fluidpayTenant(h());
      const a = await client(h(), t.key).get('/api/vault/x').set('x-correlation-id', 'client-value');
      const b = await client(h(), t.key).get('/api/vault/x');
      expect(a.headers['x-correlation-id']).toMatch(UUID_V4);
      expect(a.headers['x-correlation-id']).not.toBe(b.headers['x-correlation-id']);
    });
  });

  describe('secrets, limits and tenant settings', () => {
    it('keeps PANs, account numbers, CVCs and keys out of logs, audit events and stored rows', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      await api.post('/api/vault/customer', { id: 'sec1', default_payment: { card: { number: '6011000990139424', expiration_date: '1230', cvc: '7391' } } }).expect(200);
      await api.post('/api/vault/customer/sec1/ach', { account_number: '98765432101', routing_number: '123123123', account_type: 'checking', sec_code: 'web' }).expect(200);
      await api.post('/api/vault/customer/sec1/card', { number: '6011000990139425', expiration_date: '1230' }).expect(400); // a failing one too
      const everything = JSON.stringify(await h().dumpTables()) + h().logs();
      for (const secret of ['6011000990139424', '98765432101', '"7391"', t.key, t.publicKey]) expect(everything).not.toContain(secret);
    });

    it('answers an over-long body with 413 in the dialect envelope', async () => {
      const t = await fluidpayTenant(h());
      const limit = h().context.config.bodyLimitBytes;
      const res = await client(h(), t.key).post('/api/vault/customer', JSON.stringify({ description: 'x'.repeat(limit + 10) })).expect(413);
      expect(res.body).toEqual({ status: 'failed', msg: 'request entity too large' });
    });

    it('uses an operator-chosen owner id', async () => {
      const t = await h().createTenant({ dialects: ['fluidpay'], settings: { fluidpay: { ownerId: 'testmerchant12345678' } } });
      const res = await client(h(), t.keys.fluidpay).post('/api/vault/customer', {}).expect(200);
      expect(res.body.data.owner_id).toBe('testmerchant12345678');
      expect(t.keys.fluidpay).toMatch(/^api_[A-Za-z0-9]{32}$/);
      expect(t.keys.fluidpay_public).toMatch(/^pub_[A-Za-z0-9]{32}$/);
    });
  });

  describe('F11 unexpected failures', () => {
    it('answers 500 internal server error without detail and logs the failure', async () => {
      const t = await fluidpayTenant(h());
      const vaults = h().context.vault as { forTenant: (...args: unknown[]) => unknown };
      const original = vaults.forTenant;
      const broken = async () => {
        throw new Error('SQLITE_CORRUPT: database disk image is malformed (select secret from payment_method)');
      };
      vaults.forTenant = (...args: unknown[]) => ({ ...(original.apply(vaults, args) as object), read: broken, write: broken });
      try {
        for (const res of await Promise.all([client(h(), t.key).get('/api/vault/x'), client(h(), t.key).post('/api/vault/customer', { id: 'x' })])) {
          expect([res.status, res.body]).toEqual([500, { status: 'failed', msg: 'internal server error' }]);
          expect(res.headers['x-correlation-id']).toMatch(UUID_V4);
        }
      } finally {
        vaults.forTenant = original;
      }
      expect(h().logs()).toContain('fluidpay request failed');
    });
  });
});

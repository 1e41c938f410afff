/**
 * Route 19 (tokenizer), routes 15–16 and `default_payment.token` (§4.15, §4.16, §4.19, §8.6), and
 * the wallet routes 17–18 answering F10 until decryption exists (§8.8).
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/harness';
import { client, DOCUMENTED_ACH, DOCUMENTED_CREATE, fluidpayTenant, tokenize, UUID_V4 } from './support';

describeEachDatabase('fluidpay tokens and wallets', (h) => {
  describe('POST /api/tokenizer/token (§4.19)', () => {
    it('issues a 32-character token for the documented card with a public key, with CORS', async () => {
      const t = await fluidpayTenant(h());
      const res = await request(h().app)
        .post('/api/tokenizer/token')
        .set('Authorization', t.publicKey)
        .set('Content-Type', 'application/json')
        .send({ card: { number: '5454545454545454', expiration_date: '01/29', cvc: '123' } })
        .expect(200);
      expect(res.body).toEqual({ status: 'success', msg: 'success', data: { token: expect.stringMatching(/^[A-Za-z0-9]{32}$/) } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['x-correlation-id']).toMatch(UUID_V4);
      const preflight = await request(h().app).options('/api/tokenizer/token').expect(204);
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'Authorization, Content-Type',
        'access-control-max-age': '600',
      });
      // Vault routes send no CORS headers.
      const vault = await client(h(), t.key).post('/api/vault/customer', {}).expect(200);
      expect(vault.headers['access-control-allow-origin']).toBeUndefined();
      // The card number is nowhere in clear at rest.
      const dump = JSON.stringify(await h().dumpTables());
      expect(dump).not.toContain('5454545454545454');
    });

    it('refuses secret keys, bad bodies, and keeps the past-expiry decision for the vault request', async () => {
      const t = await fluidpayTenant(h());
      const post = (key: string, body: unknown) => request(h().app).post('/api/tokenizer/token').set('Authorization', key).send(body as object);
      await post(t.key, { card: { number: '4111111111111111', expiration_date: '1230' } }).expect(401, { status: 'failed', msg: 'unauthorized' });
      expect((await post(t.publicKey, {}).expect(400)).body.msg).toBe('bad request error: card: required');
      expect((await post(t.publicKey, { card: {}, ach: {} }).expect(400)).body.msg).toBe('bad request error: card: only one payment method may be provided');
      expect((await post(t.publicKey, { card: { number: '4111111111111112', expiration_date: '1230' } }).expect(400)).body.msg).toBe('bad request error: card.number: invalid card number');
      expect((await post(t.publicKey, { ach: { ...DOCUMENTED_ACH, sec_code: 'x' } }).expect(400)).body.msg).toBe('bad request error: ach.sec_code: must be web, ccd or ppd');
      const expiredToken = await tokenize(h(), t.publicKey, { card: { number: '4111111111111111', expiration_date: '0120' } });
      await client(h(), t.key).post('/api/vault/customer', { id: 'c1' }).expect(200);
      expect((await client(h(), t.key).post('/api/vault/customer/c1/token?validate=true', { token: expiredToken }).expect(400)).body.msg).toBe('bad request error: token: card is expired');
      // A failed request leaves the token usable.
      await client(h(), t.key).post('/api/vault/customer/c1/token', { token: expiredToken }).expect(200);
    });
  });

  describe('consuming tokens (§4.15, §4.16, §8.6)', () => {
    it('adds the token card to cust001 (route 15) and replaces it with another token (route 16)', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      await api.post('/api/vault/customer', { id: 'cust001', description: 'x' }).expect(200);
      const ach = (await api.post('/api/vault/customer/cust001/ach', DOCUMENTED_ACH).expect(200)).body.data.created_payment_method_id;
      const token = await tokenize(h(), t.publicKey, { card: { number: '5454545454545454', expiration_date: '01/29', cvc: '123' } });
      const added = await api.post('/api/vault/customer/cust001/token', { token }).expect(200);
      const cardId = added.body.data.created_payment_method_id;
      const customer = added.body.data.data.customer;
      expect(customer.defaults).toEqual({ billing_address_id: '', shipping_address_id: '', payment_method_id: ach, payment_method_type: 'ach' });
      expect(customer.payments.cards).toEqual([{ id: cardId, card_type: 'mastercard', masked_number: '545454******5454', expiration_date: '01/29', flags: [], processor_id: '' }]);
      await api.post('/api/vault/customer/cust001/token', { token }).expect(400, { status: 'failed', msg: 'bad request error: invalid token' });

      const replacement = await tokenize(h(), t.publicKey, { card: { number: '4111111111111111', expiration_date: '0928' } });
      const replaced = await api.post(`/api/vault/customer/cust001/token/${cardId}`, { token: replacement }).expect(200);
      expect(replaced.body.data.data.customer.payments.cards).toEqual([{ id: cardId, card_type: 'visa', masked_number: '411111******1111', expiration_date: '09/28', flags: [], processor_id: '' }]);
      expect(replaced.body.data).not.toHaveProperty('created_payment_method_id');
      await api.post(`/api/vault/customer/cust001/token/${cardId}`, { token: replacement }).expect(400, { status: 'failed', msg: 'bad request error: invalid token' });

      // A card token cannot replace a bank account.
      const another = await tokenize(h(), t.publicKey, { card: { number: '4111111111111111', expiration_date: '0928' } });
      expect((await api.post(`/api/vault/customer/cust001/token/${ach}`, { token: another }).expect(400)).body.msg).toBe('bad request error: token: payment method type mismatch');
      const achToken = await tokenize(h(), t.publicKey, { ach: { ...DOCUMENTED_ACH, account_number: '55554444', account_type: 'savings', sec_code: 'ppd' } });
      const swapped = await api.post(`/api/vault/customer/cust001/token/${ach}`, { token: achToken }).expect(200);
      expect(swapped.body.data.data.customer.payments.ach[0]).toMatchObject({ id: ach, masked_account_number: 'XXXX4444', account_type: 'savings', sec_code: 'ppd' });
      expect(swapped.body.data.data.customer.defaults.payment_method_id).toBe(ach);
      // Unknown method id: 404 before the token is looked at.
      await api.post('/api/vault/customer/cust001/token/cp1nqpaq3ou114hqfs90', { token: another }).expect(404);
      expect((await api.post('/api/vault/customer/cust001/token', {}).expect(400)).body.msg).toBe('bad request error: token: required');
    });

    it('refuses expired, unknown and other-tenant tokens, and writes nothing then', async () => {
      const t = await fluidpayTenant(h());
      const other = await fluidpayTenant(h());
      const api = client(h(), t.key);
      const start = Date.now();
      h().setNow(start);
      try {
        const token = await tokenize(h(), t.publicKey, { card: { number: '4111111111111111', expiration_date: '1230' } });
        const foreign = await tokenize(h(), other.publicKey, { card: { number: '4111111111111111', expiration_date: '1230' } });
        h().setNow(start + 120_000);
        const invalid = { status: 'failed', msg: 'bad request error: invalid token' };
        await api.post('/api/vault/customer', { id: 'late', default_payment: { token } }).expect(400, invalid);
        await api.post('/api/vault/customer', { id: 'late', default_payment: { token: foreign } }).expect(400, invalid);
        await api.post('/api/vault/customer', { id: 'late', default_payment: { token: 'Zt5Kq8Wm1Rv3Xn7Pc0Lb4Hy9Gd2Sj6Fa' } }).expect(400, invalid);
        await api.get('/api/vault/late').expect(404);
        h().setNow(start + 119_999);
        await client(h(), other.key).post('/api/vault/customer', { id: 'inTime', default_payment: { token: foreign } }).expect(200);
      } finally {
        h().setNow(null);
      }
    });

    it('lets only one of two concurrent uses of a token succeed', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      const token = await tokenize(h(), t.publicKey, { card: { number: '4111111111111111', expiration_date: '1230' } });
      const results = await Promise.all([1, 2, 3].map((n) => api.post('/api/vault/customer', { id: `race${n}`, default_payment: { token } })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    });

    it('uses the token card for id_format and reports an unusable token before later fields', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      const token = await tokenize(h(), t.publicKey, { card: { number: '378282246310005', expiration_date: '1230' } });
      const res = await api.post('/api/vault/customer', { id_format: 'xid_type_last4', default_payment: { token } }).expect(200);
      expect(res.body.data.id).toMatch(/^[0-9a-v]{19}[0g]_amex_0005$/);
      const msg = (await api.post('/api/vault/customer', { default_payment: { token }, default_billing_address: { email: 'bad' } }).expect(400)).body.msg;
      expect(msg).toBe('bad request error: invalid token');
    });
  });

  describe('Apple Pay and Google Pay (§4.17, §4.18, §8.8)', () => {
    it('validates wallet data, then answers F10 and stores nothing', async () => {
      const t = await fluidpayTenant(h());
      const api = client(h(), t.key);
      await api.post('/api/vault/customer', { id: 'w1' }).expect(200);
      const f10 = { status: 'failed', msg: 'bad request error: wallet decryption is not configured for this account' };
      await api.post('/api/vault/customer/w1/applepay', { key_id: 'merchant.com.example', temporary_token: 'tok' }).expect(400, f10);
      await api.post('/api/vault/customer/w1/applepay', { key_id: 'merchant.com.example', pkpaymenttoken: { paymentData: {} } }).expect(400, f10);
      expect((await api.post('/api/vault/customer/w1/applepay', { temporary_token: 'tok' }).expect(400)).body.msg).toBe('bad request error: key_id: required');
      expect((await api.post('/api/vault/customer/w1/applepay', { key_id: 'k' }).expect(400)).body.msg).toBe('bad request error: temporary_token: temporary_token or pkpaymenttoken is required');
      expect((await api.post('/api/vault/customer/w1/applepay', { key_id: 'k', temporary_token: 't', pkpaymenttoken: {} }).expect(400)).body.msg).toBe(
        'bad request error: pkpaymenttoken: cannot be combined with temporary_token',
      );
      await api.post('/api/vault/customer/w1/googlepay?validate=true', { signature: 's', protocolVersion: 'ECv2', signedMessage: '{}' }).expect(400, f10);
      await api.post('/api/vault/customer/w1/googlepay', { google_pay_token: '{"signature":"s"}' }).expect(400, f10);
      expect((await api.post('/api/vault/customer/w1/googlepay', {}).expect(400)).body.msg).toBe('bad request error: google_pay_token: must not be empty');
      expect((await api.post('/api/vault/customer/w1/googlepay', { google_pay_token: 5 }).expect(400)).body.msg).toBe('bad request error: google_pay_token: must be an object or a string');
      await api.post('/api/vault/customer/nobody/applepay', { key_id: 'k', temporary_token: 't' }).expect(404);
      // Create with a wallet: nothing is created, not even the customer.
      await api.post('/api/vault/customer', { id: 'w2', default_payment: { apple_pay: { key_id: 'k', temporary_token: 't' } } }).expect(400, f10);
      await api.post('/api/vault/customer', { id: 'w2', default_payment: { google_pay_token: { signature: 's' } } }).expect(400, f10);
      await api.get('/api/vault/w2').expect(404);
      // F7 comes before F10 (§3.5).
      await api.post('/api/vault/customer', { id: 'w1', default_payment: { google_pay_token: 'x' } }).expect(400, { status: 'failed', msg: 'bad request error: customer id already exists' });
      expect((await api.get('/api/vault/w1').expect(200)).body.data.data.customer.payments).toEqual({ cards: [], ach: [] });
    });
  });
});

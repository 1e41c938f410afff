/**
 * The Stax dialect's HTTP frame (contract §1–§3): the base path, Bearer keys, the error bodies of
 * §3.2 and the order in which the checks apply, trailing slashes, and a 500 that says nothing.
 */
import request from 'supertest';
import { describeEachDatabase, startHarness } from '../../support/harness';
import { stax, staxTenant } from './client';

const UNKNOWN = '5d0c2c8e-3f7a-4b1c-9e2d-1a2b3c4d5e6f';

describeEachDatabase('stax authentication and the order of checks', (h) => {
  it('takes the key as a Bearer token, the scheme in any letter case', async () => {
    const t = await staxTenant(h());
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      await request(h().app).get('/stax/customer').set('Authorization', `${scheme} ${t.key}`).expect(200).expect((res) => expect([res.body.current_page, Array.isArray(res.body.data)]).toEqual([1, true]));
    }
  });

  it('401 without a key, without the Bearer scheme, for unknown, revoked and other dialects’ keys', async () => {
    const t = await staxTenant(h());
    const revoked = await staxTenant(h());
    await h().revokeKey(revoked.key);
    const attempts = [
      request(h().app).get('/stax/customer'),
      request(h().app).get('/stax/customer').set('Authorization', t.key),
      request(h().app).get('/stax/customer').set('Authorization', `Basic ${Buffer.from(':' + t.key).toString('base64')}`),
      request(h().app).get('/stax/customer').set('Authorization', 'Bearer nope'),
      request(h().app).get('/stax/customer').set('Authorization', `Bearer ${revoked.key}`),
      request(h().app).get('/stax/customer').set('Authorization', `Bearer ${t.keys.maast}`),
      request(h().app).get('/stax/customer').set('Authorization', `Bearer ${t.keys.fluidpay}`),
    ];
    for (const attempt of attempts) {
      const res = await attempt.expect(401);
      expect(res.body).toEqual({ message: 'Unauthenticated.' });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('403 on every route while the tenant has the Stax dialect disabled, and back when enabled', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const id = (await client.post('/customer', { firstname: 'A' }).expect(201)).body.id;
    await h().setDialectEnabled(t.tenantId, 'stax', false);
    try {
      for (const attempt of [client.get('/customer'), client.get(`/customer/${id}`), client.post('/customer', { firstname: 'B' }), client.delete(`/customer/${id}`)]) {
        expect((await attempt.expect(403)).body).toEqual({ message: 'This action is unauthorized.' });
      }
      // 403 comes before the body is read.
      await client.raw('post', '/customer').set('Content-Type', 'application/json').send('{oops').expect(403);
    } finally {
      await h().setDialectEnabled(t.tenantId, 'stax', true);
    }
    await client.get(`/customer/${id}`).expect(200);
  });

  it('answers route → auth → body → resource → validation, in that order', async () => {
    const t = await staxTenant(h());
    const anonymous = stax(h(), null);
    const client = stax(h(), t.key);
    // Route first: unknown paths and wrong methods need no key.
    expect((await anonymous.get('/customer/x/merge').expect(404)).body).toEqual({ error: 'Not found' });
    expect((await anonymous.raw('patch', `/customer/${UNKNOWN}`).expect(405)).body).toEqual({ error: 'Method not allowed' });
    // Then the key, before the body.
    await anonymous.raw('post', '/customer').set('Content-Type', 'application/json').send('{oops').expect(401);
    // Then the body, before the path resource.
    expect((await client.raw('put', `/customer/${UNKNOWN}`).set('Content-Type', 'application/json').send('{oops').expect(400)).body).toEqual({ error: 'Invalid JSON body.' });
    // Then the resource, before validation.
    expect((await client.put(`/customer/${UNKNOWN}`, { email: 'bad' }).expect(404)).body).toEqual({ error: 'Customer not found' });
    expect((await client.put(`/payment-method/${UNKNOWN}`, { card_exp: 'bad' }).expect(404)).body).toEqual({ error: 'Payment method not found' });
  });
});

describeEachDatabase('stax routes, bodies and error bodies', (h) => {
  it('404 {"error":"Not found"} for out-of-scope routes; 405 with Allow where the path exists for other methods', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    for (const path of ['/transaction', '/invoice', `/customer/${UNKNOWN}/merge`, `/customer/${UNKNOWN}/file`, '/merge-duplicates', '/team/apikey', '/ephemeral', '/customer/a/b/c']) {
      const res = await client.get(path).expect(404);
      expect(res.body).toEqual({ error: 'Not found' });
    }
    const findOrCreate = await client.post('/customer/find-or-create', { firstname: 'A' }).expect(405);
    expect(findOrCreate.body).toEqual({ error: 'Method not allowed' });
    expect(findOrCreate.headers.allow).toBe('GET, PUT, DELETE');
    const list = await client.get('/payment-method').expect(405);
    expect(list.headers.allow).toBe('POST');
    expect((await client.raw('patch', `/customer/${UNKNOWN}`).expect(405)).headers.allow).toBe('GET, PUT, DELETE');
    expect((await client.delete('/customer').expect(405)).headers.allow).toBe('GET, POST');
  });

  it('accepts a trailing slash on every route', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const created = await client.post('/customer/', { firstname: 'Slash' }).expect(201);
    const id = created.body.id;
    await client.get('/customer/').expect(200);
    await client.get(`/customer/${id}/`).expect(200);
    await client.put(`/customer/${id}/`, { lastname: 'Dot' }).expect(200);
    const pm = await client.post('/payment-method/', { method: 'card', customer_id: id, card_number: '4111111111111111', card_exp: '0439' }).expect(200);
    await client.get(`/payment-method/${pm.body.id}/`).expect(200);
    await client.put(`/payment-method/${pm.body.id}/`, { nickname: 'n' }).expect(200);
    await client.get(`/customer/${id}/payment-method/`).expect(200);
    await client.delete(`/payment-method/${pm.body.id}/`).expect(200);
    await client.delete(`/customer/${id}/`).expect(200);
    await client.put(`/customer/${id}/restore/`).expect(200);
  });

  it('400 for malformed JSON and for JSON that is not an object, whatever the Content-Type', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const id = (await client.post('/customer', { firstname: 'A' }).expect(201)).body.id;
    const bodies: Array<[string, string]> = [
      ['application/json', '{"firstname": "A",}'],
      ['application/json', '["firstname"]'],
      ['application/json', '"text"'],
      ['application/x-www-form-urlencoded', 'firstname=A'],
      ['text/plain', 'null'],
    ];
    for (const [type, text] of bodies) {
      for (const [method, path] of [
        ['post', '/customer'],
        ['put', `/customer/${id}`],
        ['post', '/payment-method'],
      ] as const) {
        const res = await client.raw(method, path).set('Content-Type', type).send(text).expect(400);
        expect(res.body).toEqual({ error: 'Invalid JSON body.' });
      }
    }
    // JSON is read whatever the Content-Type says.
    await client.raw('post', '/customer').set('Content-Type', 'text/plain').send('{"firstname":"Plain"}').expect(201);
  });

  it('413 for a body over 1 MiB', async () => {
    const t = await staxTenant(h());
    const res = await stax(h(), t.key)
      .post('/customer', { firstname: 'Big', notes: 'x'.repeat(1024 * 1024 + 10) })
      .expect(413);
    expect(res.body).toEqual({ error: 'Payload too large' });
  });
});

describe('stax 500 [sqlite]', () => {
  it('answers {"error":"Internal Server Error"} with no detail when the store fails', async () => {
    const h = await startHarness('sqlite');
    try {
      const t = await staxTenant(h);
      const id = (await stax(h, t.key).post('/customer', { firstname: 'A', address_1: '1 Main' }).expect(201)).body.id;
      await h.context.store.read((manager) => manager.query('DROP TABLE address'));
      for (const attempt of [stax(h, t.key).get(`/customer/${id}`), stax(h, t.key).post('/customer', { firstname: 'B', address_1: 'x' })]) {
        const res = await attempt.expect(500);
        expect(res.body).toEqual({ error: 'Internal Server Error' });
        expect(res.text).not.toMatch(/address|sqlite|table|stack/i);
      }
    } finally {
      await h.close();
    }
  });
});

describeEachDatabase('stax and the gateway guards', (h) => {
  it('replays a POST sent again with the same Idempotency-Key and refuses the key for another request', async () => {
    const t = await staxTenant(h());
    const client = stax(h(), t.key);
    const first = await client.post('/customer', { firstname: 'Once' }).set('Idempotency-Key', 'create-once-1').expect(201);
    const again = await client.post('/customer', { firstname: 'Once' }).set('Idempotency-Key', 'create-once-1').expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await client.get('/customer?firstname=Once')).body.total).toBe(1);
    const other = await client.post('/customer', { firstname: 'Twice' }).set('Idempotency-Key', 'create-once-1').expect(422);
    expect(other.body).toEqual({ idempotency_key: ['The idempotency key must be 1 to 255 characters and may only be reused for the same request.'] });
  });
});

describe('stax rate limits [sqlite]', () => {
  it('429 {"message":"Too Many Attempts."} with Retry-After once the operator’s per-key budget is spent', async () => {
    const h = await startHarness('sqlite');
    // The budget is the operator's configuration (POLYVAULT_RATE_LIMIT_PER_KEY); set it as a deployment would.
    h.context.config.rateLimits.perKeyPerMinute = 2;
    try {
      const t = await staxTenant(h);
      await stax(h, t.key).get('/customer').expect(200);
      await stax(h, t.key).get('/customer').expect(200);
      const refused = await stax(h, t.key).get('/customer').expect(429);
      expect(refused.body).toEqual({ message: 'Too Many Attempts.' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });
});

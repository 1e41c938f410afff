/**
 * Exact authentication, tenancy and the error table (contract §2, §3): every error body, its status,
 * the order of checks, and the request id on every answer.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/harness';
import { loadExactSpec } from './openapi';
import { DOC_TOKENIZE_CARD, exactClient, expectRequestId, FOREIGN_OBJECT_ID, SEED_CREATE_CUSTOMER, UUID_V4, type ExactClient } from './support';

const spec = loadExactSpec();

const UNAUTHORIZED = { code: 'unauthorized', message: 'Unauthorized', type: 'authentication-error' };
const ACCOUNT_NOT_FOUND = { code: 'payments-forbidden-error', message: 'Account not found', type: 'authorization-error' };
const NO_PERMISSION = { code: 'payments-forbidden-error', message: 'You do not have permission to access this resource', type: 'authorization-error' };
const ROUTE_NOT_FOUND = { code: 'not-found-error', message: 'Not Found', type: 'resource-not-found-error' };

function expectError(res: request.Response, status: number, body: Record<string, string>): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const requestId = expectRequestId(res);
  expect(res.body).toEqual({ ...body, requestId });
}

describeEachDatabase('exact authentication (§2)', (h) => {
  let c: ExactClient;
  beforeAll(async () => {
    c = await exactClient(h());
  });

  it('accepts the raw key and the Bearer form, Bearer in any case, whitespace around the key ignored', async () => {
    for (const header of [c.key, `Bearer ${c.key}`, `bearer ${c.key}`, `BEARER   ${c.key}  `, `  ${c.key}  `]) {
      const res = await request(h().app).get('/exact/customer').set('Authorization', header);
      expect(res.status).toBe(200);
    }
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['Bearer with no key', 'Bearer '],
    ['an unknown key', '3f1c0c1e0d6a4a9f8b8e2f0c7d5a9b11'],
    ['a key glued to Bearer', 'BEARERKEY'],
  ])('answers 401 with the gateway body for %s', async (_title, header) => {
    let req = request(h().app).get('/exact/customer');
    if (header !== undefined) req = req.set('Authorization', header);
    const res = await req;
    expectError(res, 401, UNAUTHORIZED);
    spec.expectConforms('error_envelope', res.body);
  });

  it('answers 401 for a key of another dialect of the same tenant, and for a revoked key', async () => {
    expectError(await request(h().app).get('/exact/customer').set('Authorization', c.tenant.keys.stax ?? c.tenant.keys.maast), 401, UNAUTHORIZED);
    const revoked = await exactClient(h());
    await h().revokeKey(revoked.key);
    expectError(await revoked.call('get', '/customer'), 401, UNAUTHORIZED);
  });

  it('answers 403 "no permission" on every route while the tenant has the dialect disabled', async () => {
    const d = await exactClient(h());
    const customer = await d.createCustomer();
    await h().setDialectEnabled(d.tenant.tenant.id, 'exact', false);
    for (const res of [
      await d.call('get', '/customer'),
      await d.call('get', `/customer/${customer.id}`),
      await d.call('post', '/payment-method', DOC_TOKENIZE_CARD),
      await d.partner('get', '/customer'),
      // Disabled wins over a foreign account.
      await d.partner('get', '/customer', undefined, FOREIGN_OBJECT_ID),
    ]) {
      expectError(res, 403, NO_PERMISSION);
      spec.expectConforms('error_403', res.body);
    }
    await h().setDialectEnabled(d.tenant.tenant.id, 'exact', true);
    expect((await d.call('get', `/customer/${customer.id}`)).status).toBe(200);
  });
});

describeEachDatabase('exact accounts (§1.2, §2.3)', (h) => {
  it('serves the partner routes for the tenant\'s own account id, in any case', async () => {
    const c = await exactClient(h());
    expect(c.accountId).toMatch(/^[0-9a-f]{24}$/);
    const res = await c.partner('get', '/customer', undefined, c.accountId.toUpperCase());
    expect(res.status).toBe(200);
  });

  it('answers 403 "Account not found" for another tenant\'s account id and for malformed ones', async () => {
    const c = await exactClient(h());
    const other = await exactClient(h());
    const customer = await other.createCustomer();
    for (const accountId of [other.accountId, FOREIGN_OBJECT_ID, 'abc', `${c.accountId}0`]) {
      for (const res of [
        await c.partner('get', '/customer', undefined, accountId),
        await c.partner('get', `/customer/${customer.id}`, undefined, accountId),
        await c.partner('post', '/payment-method', DOC_TOKENIZE_CARD, accountId),
      ]) {
        expectError(res, 403, ACCOUNT_NOT_FOUND);
        spec.expectConforms('error_403', res.body);
      }
    }
  });

  it('takes an operator-chosen account id', async () => {
    const tenant = await h().createTenant({ settings: { exact: { accountId: '6151FFDBEFD963001C6C9D2D' } } });
    expect(tenant.settings.exact?.accountId).toBe('6151ffdbefd963001c6c9d2d');
    const res = await request(h().app).get('/exact/account/6151ffdbefd963001c6c9d2d/customer').set('Authorization', tenant.keys.exact);
    expect(res.status).toBe(200);
  });
});

describeEachDatabase('exact error table and order of checks (§3)', (h) => {
  let c: ExactClient;
  beforeAll(async () => {
    c = await exactClient(h());
  });

  it.each([
    ['get', '/exact/payments'],
    ['post', '/exact/payments'],
    ['get', `/exact/customer/${FOREIGN_OBJECT_ID}/payments`],
    ['post', '/exact/payment-method/054f3ce9-ad96-4306-abcc-5722e5313a71/verify'],
    ['post', '/exact/token'],
    ['get', '/exact/orders'],
    ['get', `/exact/account/${FOREIGN_OBJECT_ID}/payments`],
    ['get', '/exact/application/abc/token'],
    ['get', '/exact/'],
    ['get', '/exact/customer/a/b/c/d'],
  ])('answers unknown and out-of-scope routes (%s %s) with 404 not-found-error, before any key check', async (method, path) => {
    for (const withKey of [false, true]) {
      let req = request(h().app)[method as 'get' | 'post'](path);
      if (withKey) req = req.set('Authorization', c.key);
      const res = await req;
      expectError(res, 404, ROUTE_NOT_FOUND);
      spec.expectConforms('NotFoundError', res.body);
    }
  });

  it.each([
    ['patch', `/customer/${FOREIGN_OBJECT_ID}`, 'GET, PUT, DELETE'],
    ['put', '/customer', 'GET, POST'],
    ['get', '/payment-method', 'POST'],
    ['put', '/payment-method/054f3ce9-ad96-4306-abcc-5722e5313a71', 'GET, DELETE'],
    ['delete', `/customer/${FOREIGN_OBJECT_ID}/payment-method/default`, 'GET'],
    ['put', `/customer/${FOREIGN_OBJECT_ID}/payment-method`, 'GET, POST'],
    ['post', `/customer-token/054f3ce9-ad96-4306-abcc-5722e5313a71/payment-method`, 'GET'],
  ])('answers %s %s with 405 and an Allow header, before any key check', async (method, path, allow) => {
    for (const url of [`/exact${path}`, `/exact/account/${FOREIGN_OBJECT_ID}${path}`]) {
      const res = await request(h().app)[method as 'get'](url);
      expectError(res, 405, { code: 'method-not-allowed-error', message: 'Method Not Allowed', type: 'invalid-request-error' });
      expect(res.headers.allow).toBe(allow);
      spec.expectConforms('error_envelope', res.body);
    }
  });

  it('answers 413 for a body over the limit, after the key and account checks and before parsing', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    const res = await c.call('post', '/customer', huge);
    expectError(res, 413, { code: 'payload-too-large-error', message: 'Payload Too Large', type: 'invalid-request-error' });
    spec.expectConforms('error_envelope', res.body);
    expectError(await request(h().app).post('/exact/customer').send(huge), 401, UNAUTHORIZED);
    expectError(await c.partner('post', '/customer', huge, FOREIGN_OBJECT_ID), 403, ACCOUNT_NOT_FOUND);
    expectError(await c.partner('post', '/customer', '{bad', FOREIGN_OBJECT_ID), 403, ACCOUNT_NOT_FOUND);
    expectError(await request(h().app).post('/exact/customer').send('{bad'), 401, UNAUTHORIZED);
  });

  it('puts a fresh X-Request-Id on every answer, 2xx, 204, 304 and errors alike, ignoring the client\'s', async () => {
    const seen = new Set<string>();
    const created = await c.call('post', '/customer', SEED_CREATE_CUSTOMER);
    const answers = [
      created,
      await c.call('get', '/customer'),
      await c.call('put', `/customer/${created.body.id}`, { phone: '1' }),
      await c.call('put', `/customer/${created.body.id}`, { phone: '1' }),
      await c.call('delete', `/customer/${created.body.id}`),
      await request(h().app).get('/exact/customer').set('X-Request-Id', '11111111-1111-4111-8111-111111111111'),
      await request(h().app).get('/exact/nowhere'),
    ];
    expect(answers.map((res) => res.status)).toEqual([201, 200, 204, 304, 204, 401, 404]);
    for (const res of answers) {
      const id = expectRequestId(res);
      expect(id).toMatch(UUID_V4);
      seen.add(id);
    }
    expect(seen.size).toBe(answers.length);
    expect(seen.has('11111111-1111-4111-8111-111111111111')).toBe(false);
  });
});

describeEachDatabase('exact 500 (§3.3)', (h) => {
  it('answers an unavailable data store with 500 unhandled and no internal detail', async () => {
    const c = await exactClient(h());
    await c.call('get', '/customer').expect(200);
    await h().context.store.close();
    for (const res of [await c.call('get', '/customer'), await c.call('post', '/customer', SEED_CREATE_CUSTOMER)]) {
      expectError(res, 500, { code: 'unhandled', message: 'Internal Server Error', type: 'system-error' });
      spec.expectConforms('error_500', res.body);
    }
  });
});

/**
 * Rate limits through every dialect (each has the gateway guard hooks): per
 * API key and per tenant, answered with 429, `Retry-After` and the dialect's own envelope, refilled
 * with time; and a growing delay for an address that keeps sending bad credentials, still answered
 * with the dialect's 401. Budgets here: 3 requests per key and 7 per tenant per minute; 2 bad
 * credentials per minute before the delay (100 ms, doubling, at most 400 ms).
 */
import type { Response } from 'supertest';
import type { CreatedTenant } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import { authHeader, type DialectName, expectLogsClean, expectUnauthorized, NUMBER_SECRETS, send, tenantSecrets } from './routes';

type Guarded = DialectName;
const GUARDED: Guarded[] = ['maast', 'fluidpay', 'exact', 'stax'];
const CREATE_PATH: Record<Guarded, string> = { maast: '/platform/vault/customer', fluidpay: '/api/vault/customer', exact: '/exact/customer', stax: '/stax/customer' };
const LIST: Record<Guarded, { method: 'get' | 'post'; path: string; body?: unknown }> = {
  maast: { method: 'get', path: '/platform/vault/customer' },
  fluidpay: { method: 'post', path: '/api/vault/customer/search', body: { limit: 1 } },
  exact: { method: 'get', path: '/exact/customer' },
  stax: { method: 'get', path: '/stax/customer' },
};

function expectRateLimited(dialect: Guarded, res: Response, what: string): void {
  expect(`${what}: ${res.status}`).toBe(`${what}: 429`);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  switch (dialect) {
    case 'maast':
      return expect(res.body).toEqual({ code: 99, message: 'Too many requests' });
    case 'fluidpay':
      return expect(res.body).toEqual({ status: 'failed', msg: 'too many requests' });
    case 'exact':
      return expect(res.body).toEqual({ code: 'rate-limit-error', message: 'Too Many Requests', type: 'invalid-request-error', requestId: res.headers['x-request-id'] });
    case 'stax':
      return expect(res.body).toEqual({ message: 'Too Many Attempts.' });
  }
}

describeEachDatabase(
  'rate limits',
  (h) => {
    const tenants: CreatedTenant[] = [];
    const call = (dialect: Guarded, tenant: CreatedTenant) => send(h(), { ...LIST[dialect], authorization: authHeader(dialect, tenant.keys[dialect]) });
    const fresh = async () => {
      const tenant = await h().createTenant();
      tenants.push(tenant);
      return tenant;
    };

    afterEach(() => h().setNow(null));

    for (const dialect of GUARDED) {
      it(`${dialect}: the 4th request of a key within a minute is 429 with Retry-After in the dialect's envelope; other keys are not affected; a minute later it is served again`, async () => {
        const now = Date.now();
        h().setNow(now);
        const tenant = await fresh();
        const other = await fresh();
        for (let i = 1; i <= 3; i++) expect((await call(dialect, tenant)).status).toBe(200);
        expectRateLimited(dialect, await call(dialect, tenant), '4th');
        expectRateLimited(dialect, await call(dialect, tenant), '5th');
        // A write is refused as well, and nothing is written.
        const write = await send(h(), { method: 'post', path: CREATE_PATH[dialect], authorization: authHeader(dialect, tenant.keys[dialect]), body: { description: 'x', name: 'x', firstname: 'x', auto_generate_customer_id: true, customer_firm_name: 'x' } });
        expectRateLimited(dialect, write, 'write');
        expect(Number((await h().context.store.read((m) => m.query('SELECT COUNT(*) AS n FROM customer WHERE tenant_id = ?', [tenant.tenant.id])))[0].n)).toBe(0);
        expect((await call(dialect, other)).status).toBe(200);
        h().setNow(now + 61_000);
        expect((await call(dialect, tenant)).status).toBe(200);
      });
    }

    it("limits a tenant across its keys: 7 requests per minute whichever dialect's key is used", async () => {
      const now = Date.now();
      h().setNow(now);
      const tenant = await fresh();
      for (let i = 0; i < 3; i++) expect((await call('fluidpay', tenant)).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await call('exact', tenant)).status).toBe(200);
      expect((await call('maast', tenant)).status).toBe(200);
      expect((await call('stax', tenant)).status).toBe(200);
      expectRateLimited('stax', await call('stax', tenant), "tenant's 8th");
      expect((await call('stax', await fresh())).status).toBe(200);
    });

    for (const dialect of GUARDED) {
      it(`${dialect}: bad credentials from one address are answered with the dialect's 401, later ones more slowly`, async () => {
        const timings: number[] = [];
        for (let i = 0; i < 5; i++) {
          const started = Date.now();
          const res = await send(h(), { ...LIST[dialect], authorization: authHeader(dialect, `wrong-key-${dialect}-${i}`) });
          timings.push(Date.now() - started);
          expectUnauthorized(dialect, res, `bad key ${i + 1}`);
        }
        // The first two are free; then 100, 200, 400 ms.
        expect(timings[2]).toBeGreaterThanOrEqual(95);
        expect(timings[3]).toBeGreaterThanOrEqual(195);
        expect(timings[4]).toBeGreaterThanOrEqual(395);
        // A good key from the same address is not held back (held back, it would wait the next step, 800 ms;
        // the bound leaves room for a loaded machine).
        const started = Date.now();
        expect((await call(dialect, await fresh())).status).toBe(200);
        expect(Date.now() - started).toBeLessThan(790);
      });
    }

    // Idempotency scope, dialect part: this harness binds two host names to Exact and Stax, which
    // both serve POST /customer at the root of their host. Same tenant, method, path and key.
    it('scopes Idempotency-Key by dialect: Exact and Stax on the same path with the same key are two requests', async () => {
      const tenant = await fresh();
      const body = { name: 'Scope Test', firstname: 'Scope' };
      const exact = await send(h(), { method: 'post', path: '/customer', authorization: tenant.keys.exact, body: { name: body.name }, headers: { Host: 'exact.test', 'Idempotency-Key': 'same-key' } });
      expect(exact.status).toBe(201);
      const stax = await send(h(), { method: 'post', path: '/customer', authorization: `Bearer ${tenant.keys.stax}`, body: { name: body.name }, headers: { Host: 'stax.test', 'Idempotency-Key': 'same-key' } });
      // Stax ignores the unknown `name` field and refuses the body (no name field of its own): its own 422, not Exact's replay or a mismatch.
      expect(stax.headers['idempotent-replayed']).toBeUndefined();
      expect(stax.status).toBe(422);
      expect(Object.keys(stax.body)).not.toContain('idempotency_key');
    });

    it('logged none of the keys sent', () => {
      expectLogsClean(h().logs(), [...tenants.flatMap(tenantSecrets), ...NUMBER_SECRETS]);
    });
  },
  {
    env: {
      POLYVAULT_RATE_LIMIT_PER_KEY: '3',
      POLYVAULT_RATE_LIMIT_PER_TENANT: '7',
      POLYVAULT_BAD_CREDENTIALS_PER_MINUTE: '2',
      POLYVAULT_BAD_CREDENTIALS_MAX_DELAY_MS: '400',
      POLYVAULT_HOST_DIALECTS: 'exact.test=exact,stax.test=stax',
    },
  },
);

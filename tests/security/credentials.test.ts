/**
 * Every route of every dialect refuses a request that carries no key, a malformed header, a
 * revoked key, or another dialect's key (FluidPay: also a public key on a vault route and a secret
 * key on the tokenizer), with the exact status and body of the dialect's contract (§2–3), before
 * anything is read or written. A key whose tenant has the dialect switched off gets the contract's
 * 403 (FluidPay: 401).
 */
import request, { type Response } from 'supertest';
import type { CreatedTenant } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import {
  authHeader,
  DIALECT_NAMES,
  type DialectName,
  expectLogsClean,
  expectUnauthorized,
  fixtures,
  type Ids,
  NUMBER_SECRETS,
  routeCall,
  routesOf,
  type RouteSpec,
  send,
  tenantSecrets,
  vaultRows,
} from './routes';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Authorization values that must be refused, with a name for failure messages. */
function badCredentials(dialect: DialectName, route: RouteSpec, owner: CreatedTenant, revoked: CreatedTenant): Array<[string, string | null]> {
  const own = owner.keys[route.publicKey ? 'fluidpay_public' : dialect];
  const out: Array<[string, string | null]> = [
    ['no Authorization header', null],
    ['empty Authorization header', ''],
    ['blank Authorization header', '   '],
    ['revoked key', authHeader(dialect, revoked.keys[route.publicKey ? 'fluidpay_public' : dialect])],
    ['unknown key of the right shape', authHeader(dialect, own.slice(0, -4) + 'ZZZZ')],
    ['own key with a character added', authHeader(dialect, own + 'x')],
    ['own key in upper case', authHeader(dialect, own.toUpperCase())],
  ];
  // Another dialect's key, in this dialect's header form and in the other dialect's own form.
  for (const [label, key] of Object.entries(owner.keys)) {
    const other = label === 'fluidpay_public' ? 'fluidpay' : (label as DialectName);
    if (label === dialect) continue;
    if (dialect === 'fluidpay' && label === 'fluidpay_public' && route.publicKey) continue;
    out.push([`${label} key`, authHeader(dialect, key)]);
    if (other !== dialect) out.push([`${label} key in ${other} form`, authHeader(other, key)]);
  }
  if (dialect === 'fluidpay' && route.publicKey) out.push(['secret key on the tokenizer', owner.keys.fluidpay]);
  switch (dialect) {
    case 'maast':
      out.push(
        ['Bearer scheme', `Bearer ${own}`],
        ['raw key without Basic', own],
        ['Basic without credentials', 'Basic'],
        ['Basic with non-base64', 'Basic !!!*'],
        ['Basic with both parts empty', `Basic ${b64(':')}`],
        ['Basic with another merchant id', `Basic ${b64(`999999999999:${own}`)}`],
        ['Basic with the key padded by a space', `Basic ${b64(`: ${own}`)}`],
        ['Digest scheme', `Digest username="${own}"`],
      );
      break;
    case 'fluidpay':
      out.push(
        ['Basic-encoded key', `Basic ${b64(own)}`],
        ['Bearer without key', 'Bearer'],
        ['Bearer with a JWT', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
      );
      if (!route.publicKey) out.push(['public key on a vault route', owner.keys.fluidpay_public], ['public key as Bearer', `Bearer ${owner.keys.fluidpay_public}`]);
      break;
    case 'exact':
      out.push(['Basic-encoded key', `Basic ${b64(own)}`], ['Bearer without key', 'Bearer'], ['Token scheme', `Token ${own}`], ['Bearer without a space', `Bearer${own}`]);
      break;
    case 'stax':
      out.push(['raw key without Bearer', own], ['Bearer without key', 'Bearer'], ['Basic-encoded key', `Basic ${b64(own)}`], ['Token scheme', `Token ${own}`], ['Bearer without a space', `Bearer${own}`]);
      break;
  }
  return out;
}

/** docs/security.md "Response hardening": on refusals as on successes. */
function expectHardened(res: Response, what: string): void {
  const headers = ['x-content-type-options', 'x-frame-options', 'cache-control', 'content-security-policy', 'strict-transport-security', 'referrer-policy'];
  expect(`${what}: ${headers.map((name) => `${name}=${res.headers[name]}`).join(' ')} powered-by=${res.headers['x-powered-by']}`).toBe(
    `${what}: x-content-type-options=nosniff x-frame-options=DENY cache-control=no-store content-security-policy=default-src 'none'; frame-ancestors 'none' strict-transport-security=max-age=31536000; includeSubDomains referrer-policy=no-referrer powered-by=undefined`,
  );
}

function expectDisabled(dialect: DialectName, res: Response, what: string): void {
  const got = `${what}: ${res.status} ${JSON.stringify(res.body)}`;
  switch (dialect) {
    case 'maast':
      return expect(got).toBe(`${what}: 403 ${JSON.stringify({ code: 6, message: 'API key does not have access to this resource' })}`);
    case 'fluidpay':
      return expectUnauthorized(dialect, res, what);
    case 'exact':
      return expect(got).toBe(
        `${what}: 403 ${JSON.stringify({ code: 'payments-forbidden-error', message: 'You do not have permission to access this resource', type: 'authorization-error', requestId: res.headers['x-request-id'] })}`,
      );
    case 'stax':
      return expect(got).toBe(`${what}: 403 ${JSON.stringify({ message: 'This action is unauthorized.' })}`);
  }
}

describeEachDatabase('refused credentials', (h, db) => {
  let owner: CreatedTenant;
  let revoked: CreatedTenant;
  let disabled: CreatedTenant;
  const ids = {} as Record<DialectName, Ids>;
  const disabledIds = {} as Record<DialectName, Ids>;

  beforeAll(async () => {
    owner = await h().createTenant();
    revoked = await h().createTenant();
    disabled = await h().createTenant();
    for (const dialect of DIALECT_NAMES) {
      ids[dialect] = await fixtures(h(), owner, dialect);
      disabledIds[dialect] = await fixtures(h(), disabled, dialect);
    }
    for (const key of Object.values(revoked.keys)) await h().revokeKey(key);
    for (const dialect of DIALECT_NAMES) await h().setDialectEnabled(disabled.tenant.id, dialect, false);
  });

  for (const dialect of DIALECT_NAMES) {
    it(`${dialect}: every route refuses missing, malformed, revoked and other-dialect credentials with the contract's 401, and writes nothing`, async () => {
      const rows = await vaultRows(h());
      let refused = 0;
      for (const route of routesOf(dialect)) {
        // Header parsing is the same code on both databases; MariaDB gets the variants that reach a key look-up.
        const variants = badCredentials(dialect, route, owner, revoked).filter(([what], i) => db === 'sqlite' || i < 5 || / key$|key on|key as/.test(what));
        for (const [what, authorization] of variants) {
          const res = await send(h(), routeCall(route, owner, ids[dialect], { authorization }));
          expectUnauthorized(dialect, res, `${route.name} ${route.method.toUpperCase()} ${route.path} with ${what}`);
          expectHardened(res, `${route.name} with ${what}`);
          refused += 1;
        }
      }
      expect(refused).toBeGreaterThan(routesOf(dialect).length * (db === 'sqlite' ? 15 : 8));
      expect(await vaultRows(h())).toBe(rows);
      // The owner's own key works on the same routes (the refusals were about the credential).
      const res = await send(h(), routeCall(routesOf(dialect).find((r) => r.method === 'get' && r.path.includes('{customer}'))!, owner, ids[dialect]));
      expect(res.status).toBe(200);
      expectHardened(res, 'success');
    });

    it(`${dialect}: a valid key of a tenant that has the dialect switched off is refused on every route`, async () => {
      const rows = await vaultRows(h());
      for (const route of routesOf(dialect)) {
        const res = await send(h(), routeCall(route, disabled, disabledIds[dialect]));
        expectDisabled(dialect, res, `${route.name} ${route.method.toUpperCase()} ${route.path}`);
      }
      expect(await vaultRows(h())).toBe(rows);
    });
  }

  for (const dialect of DIALECT_NAMES) {
    it(`${dialect}: a key in the query string, a cookie or another header is not a credential`, async () => {
      for (const route of routesOf(dialect)) {
        const key = owner.keys[route.publicKey ? 'fluidpay_public' : dialect];
        const base = routeCall(route, owner, ids[dialect], { authorization: null });
        const query = ['api_key', 'key', 'access_token', 'token', 'apikey'].map((name) => `${name}=${encodeURIComponent(key)}`).join('&');
        const variants: Array<[string, typeof base]> = [
          ['query string', { ...base, path: base.path + (base.path.includes('?') ? '&' : '?') + query }],
          ['cookie', { ...base, headers: { Cookie: `api_key=${key}; token=${key}` } }],
          ['X-Api-Key and Proxy-Authorization', { ...base, headers: { 'X-Api-Key': key, 'Api-Key': key, 'Proxy-Authorization': authHeader(dialect, key) } }],
        ];
        for (const [what, call] of variants) expectUnauthorized(dialect, await send(h(), call), `${route.name} with the key in ${what}`);
      }
    });
  }

  it('logged none of the keys, header values, PANs, account numbers or CVVs sent', () => {
    const headerValues: string[] = [];
    for (const dialect of DIALECT_NAMES) {
      for (const route of routesOf(dialect)) for (const [, value] of badCredentials(dialect, route, owner, revoked)) if (value && value.trim().length > 8) headerValues.push(value);
    }
    expectLogsClean(h().logs(), [...tenantSecrets(owner), ...tenantSecrets(revoked), ...tenantSecrets(disabled), ...headerValues, ...NUMBER_SECRETS]);
  });
});

describeEachDatabase('key resolution per request', (h) => {
  it.each([
    ['maast', 'get', '/platform/vault/customer'],
    ['maast', 'get', '/maast/platform/vault/customer'],
    ['fluidpay', 'post', '/api/vault/customer/search'],
    ['exact', 'get', '/exact/customer'],
    ['stax', 'get', '/stax/customer'],
  ] as Array<[DialectName, 'get' | 'post', string]>)('%s %s %s: the guard resolves the key once and the dialect uses its answer', async (dialect, method, path) => {
    const owner = await h().createTenant();
    const credentials = h().context.credentials;
    const original = credentials.authenticate.bind(credentials);
    let lookups = 0;
    credentials.authenticate = (...args) => {
      lookups += 1;
      return original(...args);
    };
    try {
      let req = request(h().app)[method](path).set('Authorization', authHeader(dialect, owner.keys[dialect]));
      if (method === 'post') req = req.set('Content-Type', 'application/json').send('{}');
      expect((await req).status).toBe(200);
      expect(lookups).toBe(1);
    } finally {
      credentials.authenticate = original;
    }
  });
});

/**
 * Tenant isolation, route by route: tenant B calling any route of any dialect with tenant A's ids
 * gets exactly the answer an id that never existed gets (same status, same body once request ids
 * and the ids themselves are blanked), and A's records are untouched. Lists and searches of B show
 * nothing of A.
 */
import type { Response } from 'supertest';
import type { CreatedTenant } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import {
  DIALECT_NAMES,
  type DialectName,
  expectLogsClean,
  fill,
  fixtures,
  type Ids,
  NUMBER_SECRETS,
  PARENT_IDS,
  routeCall,
  routesOf,
  type RouteSpec,
  send,
  tenantSecrets,
  unknownIds,
} from './routes';

/** The id names a route uses, in its path and in its body. */
function idsUsed(route: RouteSpec): Set<string> {
  const used = new Set<string>();
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) used.add(match[1]);
  if (route.body) {
    const probe = new Proxy({} as Ids, {
      get: (_target, name) => {
        if (typeof name === 'string') used.add(name);
        return 'x';
      },
    });
    route.body(probe);
  }
  return used;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function normalise(res: Response, ids: Ids[]): string {
  let text = `${res.status} ${res.headers['content-type'] ?? ''} ${res.text}`;
  for (const header of ['x-request-id', 'x-correlation-id']) {
    const value = res.headers[header];
    if (typeof value === 'string' && value) text = text.split(value).join(`<${header}>`);
  }
  for (const set of ids) {
    for (const [name, value] of Object.entries(set)) if (typeof value === 'string' && value.length > 3) text = text.split(value).join(`<${name}>`);
  }
  return text;
}

/**
 * Bodies that name records by id, beyond the route table's valid bodies: each must treat A's ids as
 * unknown when B sends them for B's own customer.
 */
const BODY_ID_PROBES: RouteSpec[] = [
  {
    dialect: 'maast',
    name: '#4 updateCustomer naming cards and shipping addresses',
    method: 'put',
    path: '/platform/vault/customer/{customer}',
    body: (ids) => ({ billing_cards: [{ card_id: ids.card, billing_zip: '22222' }], shipping_addresses: [{ shipping_id: Number(ids.shipping), shipping_city: 'Nowhere' }] }),
  },
  {
    dialect: 'maast',
    name: '#1 addCustomer with a card_id entry',
    method: 'post',
    path: '/platform/vault/customer',
    body: (ids) => ({ auto_generate_customer_id: true, customer_firm_name: 'Probe', billing_cards: [{ card_id: ids.card }] }),
  },
  {
    dialect: 'fluidpay',
    name: '#4 update customer defaults',
    method: 'post',
    path: '/api/vault/customer/{customer}',
    body: (ids) => ({ defaults: { billing_address_id: ids.address, shipping_address_id: ids.address, payment_method_id: ids.card, payment_method_type: 'card' } }),
  },
  {
    dialect: 'fluidpay',
    name: '#4 update customer default ach',
    method: 'post',
    path: '/api/vault/customer/{customer}',
    body: (ids) => ({ defaults: { payment_method_id: ids.ach, payment_method_type: 'ach' } }),
  },
  {
    dialect: 'fluidpay',
    name: '#3 search by address, payment method and defaults',
    method: 'post',
    path: '/api/vault/customer/search',
    body: (ids) => ({ address_id: { operator: '=', value: ids.address }, payment_method_id: { operator: '=', value: ids.card } }),
  },
  {
    dialect: 'fluidpay',
    name: '#3 search by default billing address',
    method: 'post',
    path: '/api/vault/customer/search',
    body: (ids) => ({ billing_address_id: { operator: '=', value: ids.address } }),
  },
  { dialect: 'fluidpay', name: "#15 add from A's tokenizer token", method: 'post', path: '/api/vault/customer/{customer}/token', body: (ids) => ({ token: ids.token }) },
  { dialect: 'fluidpay', name: "#16 replace with A's tokenizer token", method: 'post', path: '/api/vault/customer/{customer}/token/{card}', body: (ids) => ({ token: ids.token }) },
  {
    dialect: 'fluidpay',
    name: '#1 create with a tokenizer token as default payment',
    method: 'post',
    path: '/api/vault/customer',
    body: (ids) => ({ description: 'probe', default_payment: { token: ids.token } }),
  },
  { dialect: 'exact', name: 'E9 attach by token (partner)', method: 'post', path: '/exact/account/{account}/customer/{customer}/payment-method', body: (ids) => ({ token: ids.bank }) },
  { dialect: 'exact', name: 'E7 get bank payment method', method: 'get', path: '/exact/payment-method/{bank}' },
  { dialect: 'stax', name: 'S9 get bank payment method', method: 'get', path: '/stax/payment-method/{bank}' },
  { dialect: 'stax', name: 'S8 bank for a customer', method: 'post', path: '/stax/payment-method', body: (ids) => ({ method: 'bank', customer_id: ids.customer, person_name: 'X Y', bank_account: '12345678', bank_routing: '021000021', bank_type: 'checking', bank_holder_type: 'personal' }) },
];

describeEachDatabase("another tenant's ids", (h) => {
  let a: CreatedTenant;
  let b: CreatedTenant;
  const idsA = {} as Record<DialectName, Ids>;
  const idsB = {} as Record<DialectName, Ids>;

  beforeAll(async () => {
    a = await h().createTenant();
    b = await h().createTenant();
    for (const dialect of DIALECT_NAMES) {
      idsA[dialect] = await fixtures(h(), a, dialect);
      idsB[dialect] = await fixtures(h(), b, dialect);
    }
    // A FluidPay tokenizer token of A's, never used by A: B must not be able to redeem it.
    const tokenized = await send(h(), { method: 'post', path: '/api/tokenizer/token', authorization: a.keys.fluidpay_public, body: { card: { number: '4012888888881881', expiration_date: '1230' } } });
    expect(tokenized.status).toBe(200);
    idsA.fluidpay.token = tokenized.body.data.token;
    idsB.fluidpay.token = 'unused';
  });

  async function rowsOf(tenantId: string): Promise<string> {
    const out: unknown[] = [];
    for (const table of ['customer', 'address', 'payment_method']) {
      out.push(await h().context.store.read((m) => m.query(`SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY seq`, [tenantId])));
    }
    return JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('hex') : v));
  }

  for (const dialect of DIALECT_NAMES) {
    it(`${dialect}: every route answers B with A's ids exactly as with ids that never existed, and changes nothing of A`, async () => {
      const before = await rowsOf(a.tenant.id);
      const unknown = unknownIds(dialect);
      const own = idsB[dialect];
      const foreign = idsA[dialect];
      let compared = 0;
      for (const route of [...routesOf(dialect), ...BODY_ID_PROBES.filter((probe) => probe.dialect === dialect)]) {
        const used = idsUsed(route);
        if (used.size === 0) continue;
        const passes: Array<{ label: string; withA: Ids; withUnknown: Ids }> = [];
        // 1. Every id from A (the account of partner routes stays B's own, see pass 3).
        const keepAccount = (ids: Ids): Ids => (own.account ? { ...ids, account: own.account } : ids);
        if ([...used].some((name) => name !== 'account')) passes.push({ label: "A's ids", withA: keepAccount(foreign), withUnknown: keepAccount(unknown) });
        // 2. B's own customer, A's address/card/shipping/payment-method ids under it.
        if ([...used].some((name) => !PARENT_IDS.has(name))) {
          const parents = Object.fromEntries(Object.entries(own).filter(([name]) => PARENT_IDS.has(name)));
          passes.push({ label: "B's customer, A's sub-ids", withA: { ...foreign, ...parents }, withUnknown: { ...unknown, ...parents } });
        }
        // 3. Partner routes naming A's account id.
        if (used.has('account')) passes.push({ label: "A's account", withA: { ...own, account: foreign.account }, withUnknown: { ...own, account: unknown.account } });
        for (const pass of passes) {
          const withA = await send(h(), routeCall(route, b, pass.withA));
          const withUnknown = await send(h(), routeCall(route, b, pass.withUnknown));
          const label = `${route.dialect} ${route.name} (${pass.label}) ${route.method.toUpperCase()} ${fill(route.path, pass.withA)}`;
          expect(`${label}: ${normalise(withA, [pass.withA, pass.withUnknown])}`).toBe(`${label}: ${normalise(withUnknown, [pass.withUnknown, pass.withA])}`);
          // A search or browse filtered on A's id answers an empty list; everything else is an error.
          if (!/search|browse/.test(route.name)) expect(`${label}: ${withA.status}`).toMatch(/: [45]\d\d$/);
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(routesOf(dialect).length / 2);
      expect(await rowsOf(a.tenant.id)).toBe(before);
      if (dialect === 'fluidpay') {
        // A's token was never redeemed by B: A can still use it, once.
        const redeemed = await send(h(), { method: 'post', path: `/api/vault/customer/${idsA.fluidpay.customer}/token`, authorization: a.keys.fluidpay, body: { token: idsA.fluidpay.token } });
        expect(redeemed.status).toBe(200);
      }
    });

    it(`${dialect}: B's lists and searches show none of A's records`, async () => {
      const listing = routesOf(dialect).filter((route) => route.method === 'get' && idsUsed(route).size === 0);
      const search = routesOf(dialect).filter((route) => route.name.includes('search') || route.name.includes('browse'));
      let checked = 0;
      for (const route of [...listing, ...search]) {
        const res = await send(h(), routeCall(route, b, { ...idsB[dialect], customer: idsA[dialect].customer }));
        expect(res.status).toBeLessThan(300);
        for (const value of Object.values(idsA[dialect])) if (value !== idsA[dialect].account) expect(`${route.name}: ${res.text}`).not.toContain(value);
        checked += 1;
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  /** Path ids no client should send: each must be answered as an id that never existed. */
  const ODD_IDS: Array<[string, string]> = [
    ['undecodable %ff', '%ff'],
    ['lone %', '%'],
    ['truncated escape %e2%82', '%e2%82'],
    ['NUL', '%00'],
    ['encoded dot-dot-slash', '%2e%2e%2f%2e%2e'],
    ['SQL', "'%20OR%201=1--"],
    ['emoji', '%F0%9F%98%80'],
    ['5000 characters', 'a'.repeat(5000)],
  ];

  for (const dialect of DIALECT_NAMES) {
    it(`${dialect}: odd ids in the path (undecodable escapes, NUL, traversal, SQL, 5000 characters) answer like an unknown id`, async () => {
      const rows = await rowsOf(b.tenant.id);
      const problems: string[] = [];
      // Exact's partner routes run the same handlers as the merchant ones (their account id is pass 3 above).
      for (const route of routesOf(dialect).filter((r) => !r.path.includes('{account}'))) {
        const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((name) => name !== 'account');
        for (const name of inPath) {
          const reference = await send(h(), routeCall(route, b, { ...idsB[dialect], [name]: unknownIds(dialect)[name] }));
          for (const [what, raw] of ODD_IDS) {
            // The raw (already encoded) value goes into the path as it is.
            const call = routeCall(route, b, { ...idsB[dialect], [name]: '\u0000ODD\u0000' });
            call.path = call.path.replace(encodeURIComponent('\u0000ODD\u0000'), raw);
            const res = await send(h(), call);
            const expected = normalise(reference, [{ [name]: unknownIds(dialect)[name] }]);
            const got = normalise(res, [{ [name]: decodeURIComponentSafe(raw) }, { [name]: raw }]);
            if (got !== expected) problems.push(`${route.name} ${route.method.toUpperCase()} ${route.path} {${name}} = ${what}: ${got.slice(0, 300)} (unknown id: ${expected.slice(0, 200)})`);
          }
        }
      }
      expect(problems).toEqual([]);
      expect(await rowsOf(b.tenant.id)).toBe(rows);
    });
  }

  it('logged none of the keys, PANs, account numbers or CVVs sent', () => {
    expectLogsClean(h().logs(), [...tenantSecrets(a), ...tenantSecrets(b), ...NUMBER_SECRETS]);
  });
});

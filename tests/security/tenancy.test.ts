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
      for (const route of routesOf(dialect)) {
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

  it('logged none of the keys, PANs, account numbers or CVVs sent', () => {
    expectLogsClean(h().logs(), [...tenantSecrets(a), ...tenantSecrets(b), ...NUMBER_SECRETS]);
  });
});

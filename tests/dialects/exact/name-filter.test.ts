/**
 * The Exact `name` filter (contract §4.3 E2) over customers written in every shape the canonical
 * store allows: names split anywhere by other dialects, a given or family name alone, a company
 * without person names, and a name kept exactly as an Exact client sent it. The filter matches the
 * displayed name exactly and is answered from the name indexes, not by reading the tenant.
 */
import { describeEachDatabase } from '../../support/harness';
import type { NewCustomer } from '../../../core/vault/commands';
import { exactClient, type ExactClient } from './support';
import { captureQueries } from '../../support/queryLog';

describeEachDatabase('exact E2 name filter', (h) => {
  let c: ExactClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    c = await exactClient(h());
    const vault = h().context.vault.forTenant(c.tenant.tenant, { dialect: 'stax', actorKeyId: null, requestId: 'name-filter-test' });
    const written: Array<[string, NewCustomer]> = [
      ['maryAnn', { givenName: 'Mary Ann', familyName: 'Smith' }],
      ['mary', { givenName: 'Mary', familyName: 'Ann Smith', company: 'Ignored Co' }],
      ['cher', { givenName: 'Cher' }],
      ['madonna', { familyName: 'Madonna' }],
      ['acme', { company: 'Acme Inc' }],
      ['acmePerson', { givenName: 'Acme', familyName: 'Inc' }],
      ['bob', { givenName: 'Bob', company: 'Acme Inc' }],
    ];
    for (const [label, input] of written) {
      const customer = await vault.write('test.create', (session) => session.createCustomer(input));
      ids[label] = customer.objectId;
    }
    // Other customers of the tenant, so that the plan test below sees a tenant worth not walking.
    await vault.write('test.fill', async (session) => {
      for (let i = 0; i < 600; i += 1) await session.createCustomer({ givenName: `Filler${i}`, familyName: `Person${i % 37}`, company: i % 5 === 0 ? `Firm ${i}` : null });
    });
    if (h().db === 'mysql') await h().context.store.dataSource.query('ANALYZE TABLE customer');
    // Sent through Exact with whitespace the split names cannot give back: kept as sent.
    ids.eve = String((await c.createCustomer({ name: '  Eve   Online ' })).id);
    ids.eveSplit = String((await c.createCustomer({ name: 'Eve Online' })).id);
  });

  async function byName(name: string, paging = ''): Promise<{ ids: string[]; total: string }> {
    const res = await c.call('get', `/customer?name=${encodeURIComponent(name)}${paging}`);
    expect(res.status).toBe(200);
    for (const customer of res.body as Array<{ name: string }>) expect(customer.name).toBe(name);
    return { ids: (res.body as Array<{ id: string }>).map((customer) => customer.id), total: String(res.headers['x-total-count']) };
  }

  it('matches a name split at any of its spaces, in creation order', async () => {
    expect(await byName('Mary Ann Smith')).toEqual({ ids: [ids.maryAnn, ids.mary], total: '2' });
  });

  it('matches a given or a family name alone', async () => {
    expect(await byName('Cher')).toEqual({ ids: [ids.cher], total: '1' });
    expect(await byName('Madonna')).toEqual({ ids: [ids.madonna], total: '1' });
  });

  it('matches the company of a customer without person names, and the same words as person names', async () => {
    expect(await byName('Acme Inc')).toEqual({ ids: [ids.acme, ids.acmePerson], total: '2' });
    expect(await byName('Bob')).toEqual({ ids: [ids.bob], total: '1' });
  });

  it('matches a kept name only as it was sent', async () => {
    expect(await byName('  Eve   Online ')).toEqual({ ids: [ids.eve], total: '1' });
    expect(await byName('Eve Online')).toEqual({ ids: [ids.eveSplit], total: '1' });
    expect(await byName('Eve')).toEqual({ ids: [], total: '0' });
  });

  it('pages the exact matches and keeps the total', async () => {
    expect(await byName('Mary Ann Smith', '&$skip=1&$limit=1')).toEqual({ ids: [ids.mary], total: '2' });
    expect(await byName('Mary Ann Smith', '&$skip=2')).toEqual({ ids: [], total: '2' });
  });

  it('finds the candidates through the name indexes, never by walking the tenant (query plan)', async () => {
    const dataSource = h().context.store.dataSource;
    const captured = await captureQueries(dataSource, () => byName('Mary Ann Smith'));
    const candidates = captured.filter((q) => /FROM [`"]customer[`"] [`"]c[`"]/.test(q.sql) && /given_name/.test(q.sql));
    expect(candidates.length).toBeGreaterThan(0);
    for (const query of candidates) {
      if (h().db === 'sqlite') {
        const plan: Array<{ detail: string }> = await dataSource.query(`EXPLAIN QUERY PLAN ${query.sql}`, query.parameters);
        const details = plan.map((row) => row.detail).join('\n');
        if (process.env.PRINT_PLAN) console.log(query.sql, query.parameters, details);
        expect(details).toMatch(/MULTI-INDEX OR/);
        expect(details).toMatch(/SEARCH c USING INDEX ix_customer_given_name \(tenant_id=\? AND given_name=\?\)/);
        expect(details).not.toMatch(/SCAN c\b/);
        expect(details).not.toMatch(/USING INDEX \w+ \(tenant_id=\?\)$/m);
      } else {
        const plan: Array<Record<string, unknown>> = await dataSource.query(`EXPLAIN ${query.sql}`, query.parameters);
        if (process.env.PRINT_PLAN) console.log(JSON.stringify(plan));
        const customer = plan.find((row) => row.table === 'c');
        expect(customer?.type).not.toBe('ALL');
        expect(String(customer?.key)).toMatch(/ix_customer_given_name/);
      }
    }
  });
});

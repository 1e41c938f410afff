/**
 * Nothing secret at rest, whichever dialect wrote it: after cards and bank accounts are stored
 * through all four dialects (creates, adds, updates, the FluidPay tokenizer; with Idempotency-Key,
 * so stored replays are included), no table cell holds a
 * PAN, an account number, a CVV or an API key in clear; no column anywhere is there to hold a CVV
 * (only the yes/no "a CVV was supplied" flag); and, on SQLite, no byte of the database files does.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { CreatedTenant } from '../support/harness';
import { describeEachDatabase } from '../support/harness';
import { ACCOUNTS, authHeader, CVVS, DIALECT_NAMES, type DialectName, expectLogsClean, fixtures, type Ids, NUMBER_SECRETS, PANS, routeCall, ROUTES, send, tenantSecrets } from './routes';

/** Numbers written below in addition to the route table's. */
const EXTRA_ACCOUNTS = ['55512340987'];

describeEachDatabase('secrets at rest, all dialects', (h, db) => {
  let tenant: CreatedTenant;
  const ids = {} as Record<DialectName, Ids>;
  /** Every answer to the writes below, to check that none shows a full number back. */
  const answers: Array<{ what: string; text: string }> = [];

  beforeAll(async () => {
    tenant = await h().createTenant();
    for (const dialect of DIALECT_NAMES) ids[dialect] = await fixtures(h(), tenant, dialect);
    // Every write route once, with its valid body (cards, banks and addresses added and updated).
    for (const route of ROUTES) {
      if (!route.body || route.path.includes('/delete') || route.method === 'delete') continue;
      // With an Idempotency-Key, so that the stored replays are scanned too.
      const res = await send(h(), { ...routeCall(route, tenant, ids[route.dialect]), headers: { 'Idempotency-Key': `at-rest-${route.dialect}-${route.name}` } });
      expect(res.status).toBeLessThan(500);
      answers.push({ what: `${route.dialect} ${route.name}`, text: res.text });
    }
  });

  it('never answers with a full PAN, account number or CVV (writes and every read route)', async () => {
    for (const route of ROUTES) {
      if (route.method !== 'get') continue;
      const res = await send(h(), routeCall(route, tenant, ids[route.dialect]));
      answers.push({ what: `${route.dialect} ${route.name}`, text: res.text });
    }
    expect(answers.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const { what, text } of answers) {
      for (const secret of [...Object.values(PANS), ...Object.values(ACCOUNTS), ...EXTRA_ACCOUNTS]) if (text.includes(secret)) found.push(`${what} shows ${secret}`);
      for (const cvv of CVVS) if (new RegExp(`"${cvv}"|:${cvv}[,}]`).test(text)) found.push(`${what} shows CVV ${cvv}`);
    }
    expect(found).toEqual([]);
  });

  it('has no column that could hold a CVV, only the "was one supplied" flag', async () => {
    const columns: Array<{ table: string; column: string }> =
      db === 'sqlite'
        ? await h().context.store.read((m) =>
            m.query("SELECT m.name AS `table`, p.name AS `column` FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"),
          )
        : await h().context.store.read((m) => m.query('SELECT TABLE_NAME AS `table`, COLUMN_NAME AS `column` FROM information_schema.columns WHERE table_schema = DATABASE()'));
    expect(columns.length).toBeGreaterThan(50);
    const suspicious = columns.filter(({ column }) => /cvv|cvc|cid|csc|security_?code|card_?code|verification/i.test(column)).map(({ table, column }) => `${table}.${column}`);
    expect(suspicious).toEqual(['payment_method.cvc_provided']);
    const flags = await h().context.store.read((m) => m.query('SELECT DISTINCT cvc_provided AS v FROM payment_method'));
    for (const { v } of flags as Array<{ v: unknown }>) expect([0, 1, true, false, '0', '1', null]).toContain(v);
  });

  it('stores no PAN, account number, CVV or API key in clear in any table cell', async () => {
    const tables = await h().dumpTables();
    expect(tables.payment_method.length).toBeGreaterThanOrEqual(14);
    expect(tables.idempotency_record.length).toBeGreaterThanOrEqual(20);
    const kinds = new Set(tables.payment_method.map((row) => String(row.kind)));
    expect(kinds.size).toBeGreaterThanOrEqual(2);
    const secrets = [...Object.values(PANS), ...Object.values(ACCOUNTS), ...EXTRA_ACCOUNTS, ...Object.values(tenant.keys)];
    const found: string[] = [];
    for (const [table, rows] of Object.entries(tables)) {
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          const text = value === null || value === undefined ? '' : Buffer.isBuffer(value) ? value.toString('latin1') : typeof value === 'object' ? JSON.stringify(value) : String(value);
          for (const secret of secrets) if (text.includes(secret)) found.push(`${table}.${column} holds ${secret}`);
          for (const cvv of CVVS) if (text === cvv || new RegExp(`"${cvv}"`).test(text)) found.push(`${table}.${column} holds CVV ${cvv}`);
        }
      }
    }
    expect(found).toEqual([]);
    // Every stored card or account number is ciphertext.
    for (const row of tables.payment_method) if (row.secret !== null) expect(String(row.secret)).toMatch(/^k\d+:/);
  });

  if (db === 'sqlite') {
    it('has no PAN, account number or API key in any byte of the SQLite files', async () => {
      await h().context.store.read((m) => m.query('PRAGMA wal_checkpoint(TRUNCATE)'));
      let scanned = 0;
      for (const file of [h().sqliteFile!, `${h().sqliteFile}-wal`, `${h().sqliteFile}-journal`]) {
        if (!existsSync(file)) continue;
        const bytes = readFileSync(file).toString('latin1');
        scanned += bytes.length;
        for (const secret of [...Object.values(PANS), ...Object.values(ACCOUNTS), ...EXTRA_ACCOUNTS, ...Object.values(tenant.keys)]) expect(bytes.includes(secret) ? secret : null).toBeNull();
      }
      expect(scanned).toBeGreaterThan(0);
    });
  }

  // The access log keeps the request path, and a client may use a card number as an id (Maast
  // customer_id, FluidPay custom id): the logged path must not carry it.
  it('does not log a PAN used as an id in a path, in any dialect', async () => {
    const paths: Array<[DialectName, string]> = [
      ['maast', `/platform/vault/customer/${PANS.maast}`],
      ['maast', `/platform/vault/customer/${PANS.maast}/billing`],
      ['fluidpay', `/api/vault/${PANS.fluidpay}`],
      ['fluidpay', `/api/vault/customer/c0000000000000000010/card/${PANS.fluidpay2}`],
      ['exact', `/exact/customer/${PANS.exact}`],
      ['exact', `/exact/account/${ids.exact.account}/payment-method/${PANS.exact2}`],
      ['stax', `/stax/customer/${PANS.stax}`],
      ['stax', `/stax/payment-method/${PANS.stax2.slice(0, 4)}-${PANS.stax2.slice(4, 8)}-${PANS.stax2.slice(8, 12)}-${PANS.stax2.slice(12)}`],
    ];
    const before = h().logs().length;
    for (const [dialect, path] of paths) {
      const res = await send(h(), { method: 'get', path, authorization: authHeader(dialect, tenant.keys[dialect]) });
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    const logged = h().logs().slice(before);
    expect(logged.split('\n').filter((line) => line.includes('"request"')).length).toBeGreaterThanOrEqual(paths.length);
    for (const pan of Object.values(PANS)) expect(logged).not.toContain(pan);
    expect(logged).not.toContain(`${PANS.stax2.slice(0, 4)}-${PANS.stax2.slice(4, 8)}`);
  });

  it('logged none of them either', () => {
    expectLogsClean(h().logs(), [...tenantSecrets(tenant), ...NUMBER_SECRETS, ...EXTRA_ACCOUNTS]);
  });
});

/**
 * Nothing secret at rest: after the Maast documentation's example customer is created, no table
 * cell (and, on SQLite, no byte of the database files) holds the card number, the CVV or an API key.
 */
import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { describeEachDatabase } from '../support/harness';
import { maastAddCustomerExample } from '../support/seeds';

const PAN = '4111111111111111';
const ACCOUNT = '3456776866';

describeEachDatabase('secrets at rest', (h, db) => {
  it('stores the seed example customer without its PAN, CVV or API key in clear', async () => {
    const { keys } = await h().createTenant({ settings: { maast: { merchantId: '210000000289' } } });
    const body = maastAddCustomerExample();
    expect(body).toContain(PAN);
    expect(body).toContain('"cvv2": "152"');
    await request(h().app)
      .post('/platform/vault/customer')
      .set('Authorization', 'Basic ' + Buffer.from(':' + keys.maast).toString('base64'))
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(200);

    const tables = await h().dumpTables();
    expect(tables.customer.length).toBe(1);
    expect(tables.payment_method.length).toBe(1);
    for (const [table, rows] of Object.entries(tables)) {
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          // The only column that names the CVV is the yes/no "was one supplied" flag (Stax has_cvv, Exact cvcCheck).
          if (/cvv|cvc/i.test(column)) expect([0, 1, true, false, '0', '1']).toContain(value);
          const text = value === null || value === undefined ? '' : Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
          expect(text).not.toContain(PAN);
          expect(text).not.toBe('152');
          expect(text).not.toMatch(/"152"/);
          for (const key of Object.values(keys)) expect(text).not.toContain(key);
        }
      }
    }
    // The card is there, but only as ciphertext.
    expect(String(tables.payment_method[0].secret)).toMatch(/^k1:/);

    if (db === 'sqlite') {
      await h().context.store.read((m) => m.query('PRAGMA wal_checkpoint(TRUNCATE)'));
      for (const file of [h().sqliteFile!, `${h().sqliteFile}-wal`]) {
        if (!existsSync(file)) continue;
        const bytes = readFileSync(file).toString('latin1');
        expect(bytes).not.toContain(PAN);
        expect(bytes).not.toContain(ACCOUNT);
        for (const key of Object.values(keys)) expect(bytes).not.toContain(key);
      }
    }
  });
});

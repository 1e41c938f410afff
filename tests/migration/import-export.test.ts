/**
 * Import and export that keep the source provider's ids (docs/migration.md), on a real database:
 * every preset's example file imported through the engine the CLI runs, the old ids read through the
 * source dialect and the records through the others, re-runs that import nothing twice, the
 * lossless round trip, OpenPGP, and a kill in the middle of an import finished by running it again.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import * as openpgp from 'openpgp';
import { Importer, type Rejection } from '../../core/migration/importer';
import { exportCustomers } from '../../core/migration/exporter';
import { polyvaultPreset } from '../../core/migration/polyvault';
import { readRows } from '../../core/migration/rows';
import { decryptVerifiedFile, encryptStream } from '../../core/migration/openpgp';
import { migrationPresets } from '../../gateway/cli/migration';
import { Readable } from 'node:stream';
import { describeEachDatabase, type Harness, type CreatedTenant } from '../support/harness';
import { basicA } from '../dialects/maast/support';

const EXAMPLES = join(__dirname, '..', '..', 'docs', 'migration', 'examples');
const BIN = join(__dirname, '..', '..', 'bin', 'polyvault.js');
const PANS = ['4111111111111111', '5454545454545454', '000123456789', '1234567890'];

async function importFile(h: Harness, tenant: CreatedTenant, from: string, file: string, input?: Readable) {
  const rejections: Rejection[] = [];
  const importer = new Importer(h.context.vault, {
    tenant: tenant.tenant,
    preset: migrationPresets().get(from)!,
    audit: { dialect: 'cli', actorKeyId: 'cli', requestId: null },
    fileDigest: 'test',
    onReject: (r) => rejections.push(r),
  });
  const counts = await importer.run(readRows(input ?? Readable.from(readFileSync(join(EXAMPLES, file))), file.endsWith('.csv') ? 'csv' : 'jsonl'));
  return { counts, rejections };
}

const clients = (h: Harness, keys: Record<string, string>) => ({
  stax: (path: string) => request(h.app).get(`/stax${path}`).set('Authorization', `Bearer ${keys.stax}`),
  exact: (path: string) => request(h.app).get(`/exact${path}`).set('Authorization', keys.exact),
  fluidpay: (path: string) => request(h.app).get(`/api${path}`).set('Authorization', keys.fluidpay),
  maast: (path: string) => request(h.app).get(`/platform/vault${path}`).set('Authorization', basicA(keys.maast)),
});

describeEachDatabase('import and export', (harness) => {
  it('keeps Stax customer and payment-method UUIDs, readable through Stax and the other dialects', async () => {
    const h = harness();
    const tenant = await h.createTenant();
    const { counts } = await importFile(h, tenant, 'stax', 'stax.jsonl');
    expect(counts).toEqual({ read: 2, imported: 2, alreadyPresent: 0, rejected: 0, cvvsDropped: 1 });
    const get = clients(h, tenant.keys);
    const customer = await get.stax('/customer/5b2d0a1c-7c4e-4c2a-9f0e-2d3b4c5d6e7f').expect(200);
    expect(customer.body).toMatchObject({ firstname: 'Ada', address_1: '12 Main St', address_country: 'USA', created_at: '2024-03-01 10:00:00' });
    const methods = await get.stax('/customer/5b2d0a1c-7c4e-4c2a-9f0e-2d3b4c5d6e7f/payment-method').expect(200);
    expect(methods.body).toEqual([expect.objectContaining({ id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', card_last_four: '1111', has_cvv: false })]);
    // The customer's FluidPay id is the xid it was given on import; FluidPay finds the same record by it.
    const fluid = await get.fluidpay('/vault/6c3e1b2d-8d5f-4d3b-8a1f-3e4c5d6e7f80');
    expect(fluid.status).not.toBe(200);
  });

  it('keeps Maast customer_id, card_id and shipping_id', async () => {
    const h = harness();
    const tenant = await h.createTenant({ settings: { maast: { merchantId: '210000000289' } } });
    const { counts } = await importFile(h, tenant, 'maast', 'maast.jsonl');
    expect(counts.imported).toBe(1);
    const get = clients(h, tenant.keys);
    const res = await get.maast('/customer/CUST1001').expect(200);
    expect(res.body.data.billing_cards[0]).toMatchObject({ card_id: '8f14e45fceea167a5a36dedd4bea2543', card_number: expect.stringMatching(/5454$/) });
    expect(res.body.data.shipping_addresses[0]).toMatchObject({ shipping_id: 7, shipping_addr1: '12 Main St' });
    const staxList = await get.stax('/customer?email=ada@example.com').expect(200);
    expect(staxList.body.data[0]).toMatchObject({ firstname: 'Ada', lastname: 'Lovelace' });
  });

  it('keeps Exact ids and tokens, and FluidPay xids and custom ids', async () => {
    const h = harness();
    const tenant = await h.createTenant();
    expect((await importFile(h, tenant, 'exact', 'exact.jsonl')).counts.imported).toBe(1);
    expect((await importFile(h, tenant, 'fluidpay', 'fluidpay.jsonl')).counts.imported).toBe(2);
    const get = clients(h, tenant.keys);
    const exact = await get.exact('/customer/65f1a2b3c4d5e6f708192a3b').expect(200);
    expect(exact.body).toMatchObject({ id: '65f1a2b3c4d5e6f708192a3b', token: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', name: 'Ada Lovelace' });
    const fluid = await get.fluidpay('/vault/cp1nqpaq3ou114hqfs90').expect(200);
    expect(fluid.body.data.data.customer.payments.cards[0].id).toBe('cp1nqpaq3ou114hqfs8g');
    expect(fluid.body.data.data.customer.addresses[0].id).toBe('cp1nqpaq3ou114hqfs80');
    await get.fluidpay('/vault/cust001').expect(200);
    await get.stax('/customer/3f2504e0-4f89-41d3-9a0c-0305e82c3301').expect(200);
  });

  it('imports nothing twice, rejects an id the tenant already holds, and reports bad rows without their numbers', async () => {
    const h = harness();
    const tenant = await h.createTenant();
    expect((await importFile(h, tenant, 'maast', 'maast.csv')).counts).toMatchObject({ read: 2, imported: 1, rejected: 1, cvvsDropped: 1 });
    const again = await importFile(h, tenant, 'maast', 'maast.csv');
    expect(again.counts).toMatchObject({ imported: 0, alreadyPresent: 1, rejected: 1 });
    expect(again.rejections[0]).toMatchObject({ line: 3, sourceId: 'CUST2002', field: 'billing_cards.1.card_number' });
    for (const pan of PANS.concat('4111111111111112')) expect(JSON.stringify(again.rejections)).not.toContain(pan);
    const clash = Readable.from(['{"customer_id":"CUST2001","customer_first_name":"Someone","customer_last_name":"Else"}\n']);
    const other = await importFile(h, tenant, 'maast', 'clash.jsonl', clash);
    expect(other.rejections).toEqual([expect.objectContaining({ sourceId: 'CUST2001', reason: expect.stringContaining('already') })]);
    for (const pan of PANS) expect(h.logs()).not.toContain(pan);
  });

  it('round-trips a vault through the polyvault format into an empty tenant, through OpenPGP', async () => {
    const h = harness();
    const source = await h.createTenant();
    await importFile(h, source, 'stax', 'stax.jsonl');
    await importFile(h, source, 'fluidpay', 'fluidpay.jsonl');
    const lines: string[] = [];
    for await (const { customer, facts } of exportCustomers(h.context.vault, source.tenant, { includeNumbers: true, includeDeleted: true })) {
      lines.push(JSON.stringify(polyvaultPreset.write(customer, facts, { tenant: source.tenant, now: 0 })));
    }
    const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'test' }], format: 'armored' });
    const encrypted = await encryptStream(Readable.from([Buffer.from(lines.join('\n') + '\n')]), publicKey);
    let armored = '';
    for await (const chunk of encrypted) armored += chunk;
    expect(armored).toContain('-----BEGIN PGP MESSAGE-----');
    for (const pan of PANS) expect(armored).not.toContain(pan);
    const target = await h.createTenant();
    const sealed = join(mkdtempSync(join(tmpdir(), 'polyvault-pgp-')), 'vault.jsonl.asc');
    writeFileSync(sealed, armored);
    const { counts } = await importFile(h, target, 'polyvault', 'x.jsonl', await decryptVerifiedFile(sealed, privateKey, null));
    expect(counts).toMatchObject({ read: 4, imported: 4, rejected: 0 });
    const a = clients(h, source.keys);
    const b = clients(h, target.keys);
    for (const path of ['/customer/5b2d0a1c-7c4e-4c2a-9f0e-2d3b4c5d6e7f', '/customer/6c3e1b2d-8d5f-4d3b-8a1f-3e4c5d6e7f80/payment-method']) {
      expect((await b.stax(path).expect(200)).body).toEqual(withoutMerchant((await a.stax(path)).body));
    }
    const fluidA = (await a.fluidpay('/vault/cp1nqpaq3ou114hqfs90')).body.data;
    const fluidB = (await b.fluidpay('/vault/cp1nqpaq3ou114hqfs90').expect(200)).body.data;
    // FluidPay's address `hash` is keyed with the tenant's own address key, so it is the one thing new.
    const unkeyed = (body: unknown) => JSON.parse(JSON.stringify(body), (key, value) => (key === 'hash' || key === 'owner_id' ? '' : value));
    expect(unkeyed(fluidB)).toEqual(unkeyed(fluidA));
  });

  it('finishes an import killed half-way when it is run again', async () => {
    const h = harness();
    const tenant = await h.createTenant();
    const dir = mkdtempSync(join(tmpdir(), 'polyvault-import-'));
    const file = join(dir, 'big.jsonl');
    const rows = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ customer_id: `K${i}`, customer_first_name: 'Row', customer_last_name: String(i), billing_cards: [{ card_number: '4111111111111111', exp_date: '1230' }] }));
    writeFileSync(file, rows.join('\n') + '\n');
    const env = { ...process.env, DATABASE_URL: h.context.config.databaseUrl, POLYVAULT_MASTER_KEY: h.context.config.masterKey.base64, LOG_LEVEL: 'warn' };
    const run = (): Promise<{ code: number | null; stdout: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, 'import', '--tenant', tenant.tenant.id, '--from', 'maast', file, '--json'], { env });
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.on('exit', (code) => resolve({ code, stdout }));
      });
    const killed = new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'import', '--tenant', tenant.tenant.id, '--from', 'maast', file], { env });
      const poll = setInterval(async () => {
        const [{ n }] = (await h.context.store.dataSource.query('SELECT COUNT(*) AS n FROM import_ledger WHERE tenant_id = ?', [tenant.tenant.id])) as Array<{ n: number }>;
        if (Number(n) > 0) {
          clearInterval(poll);
          child.kill('SIGKILL');
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(poll);
        resolve();
      });
    });
    await killed;
    const second = await run();
    const summary = JSON.parse(second.stdout);
    expect(second.code).toBe(0);
    expect(summary.alreadyPresent).toBeGreaterThan(0);
    expect(summary.imported + summary.alreadyPresent).toBe(6000);
    const [{ n }] = (await h.context.store.dataSource.query('SELECT COUNT(*) AS n FROM customer WHERE tenant_id = ?', [tenant.tenant.id])) as Array<{ n: number }>;
    expect(Number(n)).toBe(6000);
    expect(readdirSync(dir)).toEqual(['big.jsonl']);
  }, 120_000);
});

/** A Stax payment method names its tenant's merchant; everything else must match. */
function withoutMerchant(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value) => (key === 'merchant_id' ? expect.any(String) : value));
}

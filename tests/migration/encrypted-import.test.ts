/**
 * An OpenPGP-encrypted import is checked to its end before the first row is written
 * (core/migration/openpgp.ts): a file altered after it was encrypted imports nothing and says why,
 * and the same file intact imports every row. Through the real CLI process on a real database.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { describeEachDatabase, type Harness } from '../support/harness';

const BIN = join(__dirname, '..', '..', 'bin', 'polyvault.js');
const ROWS = 2000;

function runCli(h: Harness, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: h.context.config.databaseUrl, POLYVAULT_MASTER_KEY: h.context.config.masterKey.base64, LOG_LEVEL: 'warn' };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function customerCount(h: Harness, tenantId: string): Promise<number> {
  const [{ n }] = (await h.context.store.dataSource.query('SELECT COUNT(*) AS n FROM customer WHERE tenant_id = ?', [tenantId])) as Array<{ n: number }>;
  return Number(n);
}

describeEachDatabase('encrypted import', (harness) => {
  it('imports nothing from a tampered encrypted file, with a clear error, and everything from the intact one', async () => {
    const h = harness();
    const tenant = await h.createTenant();
    const dir = mkdtempSync(join(tmpdir(), 'polyvault-pgp-'));
    const rows = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ customer_id: `P${i}`, customer_first_name: 'Row', customer_last_name: String(i), billing_cards: [{ card_number: '4111111111111111', exp_date: '1230' }] }));
    const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'importer' }], format: 'armored' });
    const message = await openpgp.createMessage({ binary: Buffer.from(rows.join('\n') + '\n') });
    const sealed = Buffer.from(await openpgp.encrypt({ message, encryptionKeys: await openpgp.readKey({ armoredKey: publicKey }), format: 'binary' }));
    writeFileSync(join(dir, 'private.asc'), privateKey);

    // One byte flipped near the end: every row before it decrypts, only the final integrity check can tell.
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 200] ^= 0x01;
    writeFileSync(join(dir, 'tampered.jsonl.gpg'), tampered);
    const bad = await runCli(h, ['import', '--tenant', tenant.tenant.id, '--from', 'maast', join(dir, 'tampered.jsonl.gpg'), '--decrypt-key', join(dir, 'private.asc'), '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/integrity check/);
    expect(bad.stdout).toBe('');
    expect(await customerCount(h, tenant.tenant.id)).toBe(0);

    writeFileSync(join(dir, 'intact.jsonl.gpg'), sealed);
    const good = await runCli(h, ['import', '--tenant', tenant.tenant.id, '--from', 'maast', join(dir, 'intact.jsonl.gpg'), '--decrypt-key', join(dir, 'private.asc'), '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ read: ROWS, imported: ROWS, rejected: 0 });
    expect(await customerCount(h, tenant.tenant.id)).toBe(ROWS);
    expect(good.stderr + good.stdout).not.toContain('4111111111111111');
  }, 120_000);
});

/**
 * A master-key rotation while gateways run (docs/security.md, "Rotating the master key"): a real
 * `polyvault serve` child process on the same database serves tenants it has never seen, at every
 * step — given the next key, after `keys rotate-master`, and restarted with the new key alone —
 * and a gateway whose key does not match the database refuses to start.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../config';
import { Keyring } from '../../core/crypto/keyring';
import { masterKeyFromBase64 } from '../../core/crypto/masterKey';
import { issueAdminToken } from '../../gateway/admin/tokens';
import { describeEachDatabase, type Harness } from '../support/harness';
import { refusedGateway, startGateway, type GatewayProcess } from '../support/gatewayProcess';

const run = promisify(execFile);
const BIN = join(__dirname, '..', '..', 'bin', 'polyvault.js');

interface StaxTenant {
  id: string;
  key: string;
  customerId: string;
}

/** A tenant with a customer and a card, written through the test's own context (not the gateway). */
async function tenantWithCard(h: Harness, pan: string): Promise<StaxTenant> {
  const { tenant, keys } = await h.createTenant({ dialects: ['stax'] });
  const vault = h.context.vault.forTenant(tenant, { dialect: 'stax', actorKeyId: null, requestId: null });
  const customerId = await vault.write('seed', async (s) => {
    const c = await s.createCustomer({ givenName: 'Ada', familyName: 'Lovelace' });
    await s.addPaymentMethod({ customerSeq: c.seq, card: { pan, expMonth: 4, expYear: 2031 } });
    return c.vaultId;
  });
  return { id: tenant.id, key: keys.stax, customerId };
}

/** The same, written through a running gateway: its admin API, then its Stax API. */
async function tenantThroughGateway(gateway: GatewayProcess, config: Config, pan: string): Promise<StaxTenant> {
  const response = await fetch(`${gateway.url}/admin/v1/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await issueAdminToken(config)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `through-gateway-${randomBytes(3).toString('hex')}`, dialects: ['stax'] }),
  });
  expect(response.status).toBe(201);
  const created = (await response.json()) as { tenant: { id: string }; keys: { stax: string } };
  const tenant = { id: created.tenant.id, key: created.keys.stax, customerId: '' };
  const customer = await call(gateway, tenant.key, 'POST', '/customer', { firstname: 'Ada', lastname: 'Lovelace' });
  expect(customer.status).toBe(201);
  const card = await call(gateway, tenant.key, 'POST', '/payment-method', { method: 'card', customer_id: customer.body.id, card_number: pan, card_exp: '0430', person_name: 'Ada Lovelace' });
  expect(card.status).toBe(200);
  return { ...tenant, customerId: String(customer.body.id) };
}

async function call(gateway: GatewayProcess, key: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/stax${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Reads the tenant's customer and adds a card through the gateway: both need the tenant's unwrapped keys. */
async function servesTenant(gateway: GatewayProcess, tenant: StaxTenant, pan: string): Promise<void> {
  const staxId = await customerStaxId(gateway, tenant);
  const added = await call(gateway, tenant.key, 'POST', '/payment-method', { method: 'card', customer_id: staxId, card_number: pan, card_exp: '0430', person_name: 'Ada Lovelace' });
  expect(added).toMatchObject({ status: 200, body: { card_last_four: pan.slice(-4) } });
  const methods = await call(gateway, tenant.key, 'GET', `/customer/${staxId}/payment-method`);
  expect(methods.status).toBe(200);
}

async function customerStaxId(gateway: GatewayProcess, tenant: StaxTenant): Promise<string> {
  const listed = await call(gateway, tenant.key, 'GET', '/customer');
  expect(listed.status).toBe(200);
  const rows = listed.body.data as Array<{ id: string; firstname: string }>;
  expect(rows.map((c) => c.firstname)).toEqual(['Ada']);
  return rows[0].id;
}

/** Every stored card of the tenant, decrypted with `keyring` (which must hold the key that wraps its keys). */
async function pansOf(h: Harness, tenantId: string, keyring: Keyring): Promise<string[]> {
  const rows = (await h.dumpTables()).payment_method.filter((r) => r.tenant_id === tenantId && r.secret !== null);
  const keys = await h.context.store.read((m) => keyring.keysFor(m, tenantId));
  return rows.map((r) => keyring.decryptSecret(keys, String(r.secret))).sort();
}

describeEachDatabase('online master-key rotation', (h) => {
  let dir: string;
  let oldKey: string;
  let newKeyFile: string;
  let newKey: string;
  const gateways: GatewayProcess[] = [];
  const env = (extra: Record<string, string>) => ({ DATABASE_URL: h().context.config.databaseUrl, ...extra });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyvault-rotation-'));
    oldKey = h().context.config.masterKey.base64;
    newKey = randomBytes(32).toString('base64');
    newKeyFile = join(dir, 'new.key');
    writeFileSync(newKeyFile, newKey + '\n', { mode: 0o600 });
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps serving tenants a running gateway has never seen through every step, and retires the old key', async () => {
    const seenBefore = await tenantWithCard(h(), '4111111111111111');
    // Step 1: the gateway holds the old key (its own) and the next one.
    const gateway = await startGateway(env({ POLYVAULT_MASTER_KEY: oldKey, POLYVAULT_NEXT_MASTER_KEY_FILE: newKeyFile }));
    gateways.push(gateway);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    await servesTenant(gateway, seenBefore, '4000056655665556');
    const unseen = await tenantWithCard(h(), '5555555555554444');
    // Until the rotation starts, every process still wraps with the old key.
    expect((await h().dumpTables()).tenant_key.every((k) => k.master_key_id === masterKeyFromBase64(oldKey).id)).toBe(true);

    // Step 2: re-wrap, by the CLI as an operator runs it (it holds the old key only).
    const rotated = await run(process.execPath, [BIN, 'keys', 'rotate-master', '--new-key-file', newKeyFile, '--json'], { env: { ...process.env, ...env({ POLYVAULT_MASTER_KEY: oldKey, LOG_LEVEL: 'warn' }) } });
    const summary = JSON.parse(rotated.stdout);
    expect(summary).toMatchObject({ masterKeyId: masterKeyFromBase64(newKey).id, remaining: 0, retiring: [masterKeyFromBase64(oldKey).id] });
    expect(summary.rewrapped).toBeGreaterThanOrEqual(6);
    await servesTenant(gateway, unseen, '4000056655665556');
    // A tenant created through the running gateway now gets keys wrapped with the new key.
    const created = await tenantThroughGateway(gateway, h().context.config, '4012888888881881');
    const newId = masterKeyFromBase64(newKey).id;
    expect((await h().dumpTables()).tenant_key.every((k) => k.master_key_id === newId)).toBe(true);

    // Step 3: the gateway restarts with the new key alone; the old key is gone from every process.
    await gateway.stop();
    const restarted = await startGateway(env({ POLYVAULT_MASTER_KEY_FILE: newKeyFile }));
    gateways.push(restarted);
    expect((await fetch(`${restarted.url}/readyz`)).status).toBe(200);
    const third = await tenantThroughGateway(restarted, { ...h().context.config, masterKey: { source: 'file', base64: newKey } }, '378282246310005');
    for (const tenant of [seenBefore, unseen, created, third]) await servesTenant(restarted, tenant, '6011111111111117');
    const onlyNew = new Keyring([masterKeyFromBase64(newKey)]);
    expect(await pansOf(h(), unseen.id, onlyNew)).toEqual(['4000056655665556', '5555555555554444', '6011111111111117']);
    expect(await pansOf(h(), seenBefore.id, onlyNew)).toEqual(['4000056655665556', '4111111111111111', '6011111111111117']);
  }, 60_000);

  it('refuses to start, in one line, with a master key the stored keys were not wrapped by', async () => {
    const wrong = await refusedGateway(env({ POLYVAULT_MASTER_KEY: randomBytes(32).toString('base64') }));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/^polyvault: refusing to start: the database holds tenant keys wrapped by master key [0-9a-f]{16}(, [0-9a-f]{16})*, which this process was not given/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
    // The retired key alone is just as wrong now.
    const retired = await refusedGateway(env({ POLYVAULT_MASTER_KEY: oldKey }));
    expect(retired.code).toBe(1);
    expect(retired.stderr).toContain(masterKeyFromBase64(newKey).id);
  }, 60_000);
});

/**
 * Master-key and tenant data-key rotation on real databases, including a re-encryption that
 * crashes part-way and is resumed.
 */
import { randomBytes } from 'node:crypto';
import { Keyring } from '../../core/crypto/keyring';
import { masterKeyFromBase64 } from '../../core/crypto/masterKey';
import { countStale, reencryptTenant, rotateMasterKey, startTenantKeyVersion } from '../../core/crypto/rotation';
import type { Tenant } from '../../core/model';
import { describeEachDatabase, type Harness } from '../support/harness';

const PANS = Array.from({ length: 25 }, (_, i) => {
  // Luhn-valid Visa numbers 4000 0000 0000 00xx
  const body = `4000000000000${String(i).padStart(2, "0")}`;
  let sum = 0;
  for (let j = 0; j < 15; j++) {
    let d = Number(body[14 - j]);
    if (j % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
});

async function secretsOf(h: Harness, tenant: Tenant, keyring: Keyring): Promise<Array<{ version: number; pan: string }>> {
  const rows = (await h.dumpTables()).payment_method.filter((r) => r.tenant_id === tenant.id);
  const keys = await h.context.store.read((m) => keyring.keysFor(m, tenant.id, Date.now() + 60_000));
  return rows.map((r) => ({ version: Number(r.key_version), pan: keyring.decryptSecret(keys, String(r.secret)) }));
}

describeEachDatabase('key rotation', (h) => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = (await h().createTenant()).tenant;
    const vault = h().context.vault.forTenant(tenant, { dialect: 'maast', actorKeyId: null, requestId: null });
    await vault.write('seed', async (s) => {
      const c = await s.createCustomer({ givenName: 'Rota' });
      for (const pan of PANS) await s.addPaymentMethod({ customerSeq: c.seq, card: { pan, expMonth: 1, expYear: 2031 } });
    });
  });

  it('starts a new data-key version for new writes while old rows stay readable', async () => {
    const { store, keyring } = h().context;
    const version = await startTenantKeyVersion(store, keyring, tenant.id, Date.now());
    expect(version).toBe(2);
    const vault = h().context.vault.forTenant(tenant, { dialect: 'maast', actorKeyId: null, requestId: null });
    await vault.write('add', async (s) => {
      const c = await s.createCustomer({ givenName: 'New' });
      await s.addPaymentMethod({ customerSeq: c.seq, card: { pan: '5454545454545454', expMonth: 1, expYear: 2031 } });
    });
    const secrets = await secretsOf(h(), tenant, keyring);
    expect(secrets.filter((s) => s.version === 1).map((s) => s.pan).sort()).toEqual([...PANS].sort());
    expect(secrets.find((s) => s.pan === '5454545454545454')?.version).toBe(2);
  });

  it('re-encrypts in batches and resumes after a crash in the middle', async () => {
    const { store, keyring } = h().context;
    await expect(
      reencryptTenant(store, keyring, tenant.id, {
        batchSize: 10,
        afterBatch: (done) => {
          if (done >= 10) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect((await countStale(store, keyring, tenant.id)).stale).toBe(15);
    const progress: number[] = [];
    const result = await reencryptTenant(store, keyring, tenant.id, { batchSize: 10, onProgress: (done) => progress.push(done) });
    expect(result.moved).toBe(15);
    expect(progress).toEqual([0, 10, 15]);
    const secrets = await secretsOf(h(), tenant, keyring);
    expect(secrets.every((s) => s.version === 2)).toBe(true);
    expect(secrets.map((s) => s.pan).sort()).toEqual([...PANS, '5454545454545454'].sort());
  });

  it('re-wraps every tenant key under a new master key; afterwards the new key alone decrypts every card', async () => {
    const { store, keyring } = h().context;
    const next = masterKeyFromBase64(randomBytes(32).toString('base64'));
    const { rewrapped } = await rotateMasterKey(store, keyring, next);
    expect(rewrapped).toBeGreaterThanOrEqual(4);
    const rows = await h().dumpTables();
    expect(rows.tenant_key.every((k) => k.master_key_id === next.id)).toBe(true);
    const onlyNew = new Keyring([next]);
    const secrets = await secretsOf(h(), tenant, onlyNew);
    expect(secrets.map((s) => s.pan).sort()).toEqual([...PANS, '5454545454545454'].sort());
  });
});

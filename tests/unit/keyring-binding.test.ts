/**
 * Each ciphertext is bound to the tenant (and key version) it was written for, through the AEAD's
 * associated data: the same key bytes under another tenant's name must not open it. A row copied
 * between tenants that happen to share key material (a restored backup, an operator's mistake)
 * must fail to decrypt rather than hand one tenant's card number to another.
 */
import { randomBytes } from 'node:crypto';
import { Keyring, type TenantKeys } from '../../core/crypto/keyring';
import { masterKeyFromBase64 } from '../../core/crypto/masterKey';

const PAN = '4111111111111111';

function keysFor(tenantId: string, dataKeys: Map<number, Buffer>, currentDataVersion = 1): TenantKeys {
  return { tenantId, loadedAt: 0, currentDataVersion, dataKeys, fingerprintKey: randomBytes(32), addressKey: randomBytes(32) };
}

describe('keyring: ciphertexts are bound to their tenant and key version', () => {
  const keyring = new Keyring([masterKeyFromBase64(randomBytes(32).toString('base64'))]);
  const shared = randomBytes(32);

  it('opens a secret for the tenant it was sealed for', () => {
    const keys = keysFor('tenant-a', new Map([[1, shared]]));
    const { secret, keyVersion } = keyring.encryptSecret(keys, PAN);
    expect(keyVersion).toBe(1);
    expect(secret).toMatch(/^k1:/);
    expect(secret).not.toContain(PAN);
    expect(keyring.decryptSecret(keys, secret)).toBe(PAN);
  });

  it('refuses to open it under another tenant id, even with the same key bytes', () => {
    const { secret } = keyring.encryptSecret(keysFor('tenant-a', new Map([[1, shared]])), PAN);
    expect(() => keyring.decryptSecret(keysFor('tenant-b', new Map([[1, shared]])), secret)).toThrow();
  });

  it('refuses a ciphertext relabelled with another key version, even with the same key bytes', () => {
    const keys = keysFor('tenant-a', new Map([[1, shared], [2, shared]]));
    const { secret } = keyring.encryptSecret(keys, PAN);
    expect(() => keyring.decryptSecret(keys, secret.replace(/^k1:/, 'k2:'))).toThrow();
  });

  it('refuses to unwrap a tenant key row moved to another tenant or another purpose', () => {
    const row = keyring.wrapNew(keyring.currentMaster, 'tenant-a', 'data', 1, 0);
    expect(keyring.unwrap(row)).toHaveLength(32);
    expect(() => keyring.unwrap(Object.assign(Object.create(Object.getPrototypeOf(row)), row, { tenantId: 'tenant-b' }))).toThrow();
    expect(() => keyring.unwrap(Object.assign(Object.create(Object.getPrototypeOf(row)), row, { purpose: 'fingerprint' }))).toThrow();
  });
});

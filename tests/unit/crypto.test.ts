import { randomBytes } from 'node:crypto';
import { open, seal } from '../../core/crypto/aead';
import { masterKeyFromBase64 } from '../../core/crypto/masterKey';

describe('AES-256-GCM sealing', () => {
  const key = randomBytes(32);

  it('round-trips and never contains the plaintext', () => {
    const sealed = seal(key, Buffer.from('4111111111111111'), 'tenant-a');
    expect(sealed).not.toContain('4111111111111111');
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('4111111111111111');
    expect(open(key, sealed, 'tenant-a').toString()).toBe('4111111111111111');
  });

  it('uses a fresh IV each time', () => {
    expect(seal(key, Buffer.from('x'), 'a')).not.toBe(seal(key, Buffer.from('x'), 'a'));
  });

  it('refuses a tampered ciphertext, another key, or another tenant context', () => {
    const sealed = seal(key, Buffer.from('4111111111111111'), 'tenant-a');
    const raw = Buffer.from(sealed, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => open(key, raw.toString('base64'), 'tenant-a')).toThrow();
    expect(() => open(randomBytes(32), sealed, 'tenant-a')).toThrow();
    expect(() => open(key, sealed, 'tenant-b')).toThrow();
  });

  it('names a master key by a hash prefix and refuses keys that are not 32 bytes', () => {
    const master = masterKeyFromBase64(randomBytes(32).toString('base64'));
    expect(master.id).toMatch(/^[0-9a-f]{16}$/);
    expect(() => masterKeyFromBase64(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

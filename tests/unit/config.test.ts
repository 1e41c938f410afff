/** Environment → configuration: the heap growth setting `serve` applies at start-up. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config';

const base = { DATABASE_URL: 'sqlite::memory:', POLYVAULT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };

describe('POLYVAULT_HEAP_GROWING_PERCENT', () => {
  it('defaults to 50 % and accepts 0 for V8 own heuristics', () => {
    expect(loadConfig({ ...base }).heapGrowingPercent).toBe(50);
    expect(loadConfig({ ...base, POLYVAULT_HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ ...base, POLYVAULT_HEAP_GROWING_PERCENT: '100' }).heapGrowingPercent).toBe(100);
  });

  it('refuses a value that is not a whole percentage', () => {
    for (const value of ['abc', '-1', '1.5', '5000']) {
      expect(() => loadConfig({ ...base, POLYVAULT_HEAP_GROWING_PERCENT: value })).toThrow(ConfigError);
    }
  });
});

describe('master keys, mode and listen address', () => {
  it('refuses production mode without a configured master key on SQLite too, even with a key file in the data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyvault-config-'));
    try {
      writeFileSync(join(dir, 'master.key'), Buffer.alloc(32, 1).toString('base64'));
      const env = { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, POLYVAULT_DATA_DIR: dir };
      expect(() => loadConfig({ ...env, POLYVAULT_MODE: 'production' })).toThrow(/production mode needs POLYVAULT_MASTER_KEY/);
      expect(() => loadConfig({ ...env, NODE_ENV: 'production' })).toThrow(ConfigError);
      expect(loadConfig(env).masterKey.source).toBe('file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the next master key of a rotation from POLYVAULT_NEXT_MASTER_KEY[_FILE] and checks it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyvault-config-'));
    try {
      const next = Buffer.alloc(32, 9).toString('base64');
      writeFileSync(join(dir, 'next.key'), next + '\n');
      expect(loadConfig({ ...base, POLYVAULT_NEXT_MASTER_KEY_FILE: join(dir, 'next.key') }).nextMasterKey).toBe(next);
      expect(loadConfig({ ...base, POLYVAULT_NEXT_MASTER_KEY: next }).nextMasterKey).toBe(next);
      expect(loadConfig({ ...base }).nextMasterKey).toBeUndefined();
      expect(() => loadConfig({ ...base, POLYVAULT_NEXT_MASTER_KEY: 'c2hvcnQ=' })).toThrow(/POLYVAULT_NEXT_MASTER_KEY must hold 32 bytes/);
      expect(() => loadConfig({ ...base, POLYVAULT_NEXT_MASTER_KEY_FILE: join(dir, 'missing.key') })).toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('listens where POLYVAULT_HOST says, else on every interface', () => {
    expect(loadConfig({ ...base, POLYVAULT_HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ ...base }).host).toBeUndefined();
  });
});

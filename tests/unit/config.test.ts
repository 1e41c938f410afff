/** Environment → configuration: the heap growth setting `serve` applies at start-up. */
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

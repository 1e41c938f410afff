/**
 * README's "Configuration" table lists exactly the environment variables polyvault reads: the names
 * are taken from the code (every `env.NAME`, `env['NAME']` and `(env, 'NAME'` in core, adapters,
 * gateway, config and bin) and from loadConfig itself, run on an environment that records each read.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../config';
import { REPO_ROOT } from '../support/fixtures';

const PRODUCT = ['core', 'adapters', 'gateway', 'config', 'bin'];
const READS = [/\benv\.([A-Z][A-Z0-9_]*)/g, /\benv\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\]/g, /\(\s*env\s*,\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g];

function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productFiles(path);
    return ['.ts', '.js'].includes(extname(entry.name)) ? [path] : [];
  });
}

export function namesReadInCode(text: string): string[] {
  return READS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]));
}

function namesInReadmeTable(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]);
}

/** Every name loadConfig reads from `env`, whatever branch it takes. */
function namesReadByLoadConfig(env: Record<string, string>): string[] {
  const seen = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') seen.add(name);
      return target[name as string];
    },
  });
  loadConfig(recording);
  return [...seen];
}

describe("README's configuration table", () => {
  const table = namesInReadmeTable();

  it('lists every variable the code reads, and only those', () => {
    const fromCode = new Set(PRODUCT.flatMap((dir) => productFiles(join(REPO_ROOT, dir))).flatMap((file) => namesReadInCode(readFileSync(file, 'utf8'))));
    const dir = mkdtempSync(join(tmpdir(), 'polyvault-config-'));
    try {
      const key = randomBytes(32).toString('base64');
      // The embedded default (generated key under POLYVAULT_DATA_DIR) and the explicit-key branch.
      for (const name of namesReadByLoadConfig({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, POLYVAULT_DATA_DIR: dir })) fromCode.add(name);
      for (const name of namesReadByLoadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/x', POLYVAULT_MASTER_KEY: key })) fromCode.add(name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(fromCode.size).toBeGreaterThan(10);
    expect([...table].sort()).toEqual([...fromCode].sort());
  });

  it('has one row per variable', () => {
    expect(new Set(table).size).toBe(table.length);
  });

  it('the scan sees each way the code reads a variable', () => {
    expect(namesReadInCode("env.PORT; process.env.LOG_LEVEL; env['A_B']; parseCount(env, 'C_D', 0)")).toEqual(['PORT', 'LOG_LEVEL', 'A_B', 'C_D']);
  });
});

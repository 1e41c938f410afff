/**
 * `npm start` (and `npm test`, `npm ci`) build through bin/build.js: a current dist/ is not compiled
 * again, a changed source or a missing output is. Run on a copy of the sources in a temporary folder,
 * so the real dist/ that other tests run is never rewritten under them.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const COPIED = ['core', 'adapters', 'gateway', 'config', 'bin', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Every file under `dir` with its modification time. */
function mtimes(dir: string, out = new Map<string, number>()): Map<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) mtimes(path, out);
    else out.set(path, statSync(path).mtimeMs);
  }
  return out;
}

describe('npm run build', () => {
  let dir: string;
  const build = (...args: string[]) => run(process.execPath, [join(dir, 'bin', 'build.js'), ...args], { cwd: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyvault-build-'));
    for (const name of COPIED) cpSync(join(ROOT, name), join(dir, name), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is what start, test and install run', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toBe('node bin/build.js');
    expect(scripts.start).toMatch(/^npm run build\b/);
    expect(scripts.pretest).toMatch(/^npm run build\b/);
    expect(scripts.prepare).toMatch(/^npm run build\b/);
  });

  it('compiles once, then leaves a current dist/ alone; recompiles a changed source and a missing output', async () => {
    const dist = join(dir, 'dist');
    await build();
    expect(existsSync(join(dist, 'gateway', 'cli', 'main.js'))).toBe(true);

    const before = mtimes(dist);
    const again = await build('--verbose');
    expect(again.stdout).toContain('is up to date');
    expect(mtimes(dist)).toEqual(before);

    appendFileSync(join(dir, 'config', 'index.ts'), '\nexport const BUILD_PROBE = 1;\n');
    await build();
    expect(readFileSync(join(dist, 'config', 'index.js'), 'utf8')).toContain('BUILD_PROBE');

    rmSync(join(dist, 'gateway', 'cli', 'main.js'));
    await build();
    expect(existsSync(join(dist, 'gateway', 'cli', 'main.js'))).toBe(true);
  }, 300_000);
});

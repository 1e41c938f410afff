/** `npx polyvault --version` (the package's bin, as a real child process) prints package.json's version. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'polyvault.js');

describe('polyvault --version', () => {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it.each(['--version', '-V'])('%s prints the version of package.json and exits 0', async (flag) => {
    const { stdout, stderr } = await run(process.execPath, [BIN, flag], { cwd: ROOT });
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(stdout).toBe(`${version}\n`);
    expect(stderr).toBe('');
  });
});

/**
 * The package's own root and version. Found by walking up to the nearest package.json, because this
 * file runs from two places: compiled under dist/gateway/cli and, in the tests, as source under
 * gateway/cli. (Importing package.json instead would make tsc copy it into dist.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The `version` of package.json, what `polyvault --version` prints. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('package.json has no version');
  return manifest.version;
}

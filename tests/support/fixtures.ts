/**
 * Where the tests' provider fixtures live: inside the repository, under tests/fixtures/providers
 * (their sources and licences are in that folder's README.md). Every helper that reads a provider
 * document or example goes through here, so a fresh clone has all it needs.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const PROVIDER_FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'providers');

/** True when `path` is the repository root or below it. */
export function insideRepository(path: string): boolean {
  const rel = relative(REPO_ROOT, resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The path of a provider fixture; refuses a name that would leave the fixtures folder. */
export function providerFixturePath(file: string): string {
  const path = resolve(PROVIDER_FIXTURES, file);
  const rel = relative(PROVIDER_FIXTURES, path);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`provider fixture outside ${PROVIDER_FIXTURES}: ${file}`);
  return path;
}

export function readProviderFixture(file: string): string {
  return readFileSync(providerFixturePath(file), 'utf8');
}

#!/usr/bin/env node
// `npm run build` (also run by `npm start`, `npm test` and `npm ci`). tsc's build mode skips the
// compile when dist/ is current: its build info (dist/build.tsbuildinfo) records every source's
// hash, so an unchanged tree costs about a second instead of a full compile. It compares sources
// with that record only, not with the outputs, so a dist/ missing a compiled file (partly deleted)
// would pass as current; then the record is dropped first and everything is compiled again.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const SOURCES = ['core', 'adapters', 'gateway', 'config']; // tsconfig.build.json's "include"
const BUILD_INFO = join(ROOT, 'dist', 'build.tsbuildinfo');

function sources(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const missing = SOURCES.flatMap(sources).find((file) => !existsSync(join(ROOT, 'dist', file.replace(/\.ts$/, '.js'))));
if (missing) rmSync(BUILD_INFO, { force: true });

try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
} catch (error) {
  process.exit(typeof error.status === 'number' ? error.status : 1);
}

#!/usr/bin/env node
// The package's command. It runs the compiled CLI (npm ci builds it through the `prepare` script).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'gateway', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('polyvault: not built yet; run `npm run build` first\n');
  process.exit(1);
}
require(entry).main();

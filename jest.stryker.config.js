/**
 * The jest configuration mutation runs use: the suite as `jest.config.js` defines it, on SQLite
 * only (npm run test:mutation sets POLYVAULT_TEST_MYSQL=off), one worker (Stryker runs the
 * processes). POLYVAULT_MUTATION_TESTS (comma-separated paths under tests/, e.g.
 * `unit/logger,unit/logger-secrets`) narrows the tests to a few files for a quick run on one module.
 */
const base = require('./jest.config');

const only = (process.env.POLYVAULT_MUTATION_TESTS ?? '')
  .split(',')
  .map((part) => part.trim())
  .filter(Boolean);

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  maxWorkers: 1,
  ...(only.length > 0 ? { testMatch: only.map((path) => `<rootDir>/tests/${path.replace(/\.test\.ts$/, '')}.test.ts`) } : {}),
};

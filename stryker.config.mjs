// Mutation testing (docs/testing.md, "Mutation testing"). `npm run test:mutation` runs it over the
// modules below on SQLite only; `-- --mutate <file>` narrows it to one module. Incremental: the
// results of the last run (reports/stryker-incremental.json, not committed: a per-machine cache)
// let a re-run test only mutants whose code or covering tests changed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // Two cores, shared: one test process at a time (each SQLite harness is its own file, so two would be safe, but slow the machine for everyone).
  concurrency: 1,
  timeoutMS: 20000,
  // The target modules of issue 24; the dialect adapters join as they are reworked.
  mutate: ['core/crypto/**/*.ts', 'core/vault/**/*.ts', 'core/idempotency.ts', 'core/logger.ts', 'gateway/guards.ts', 'gateway/rateLimits.ts', 'gateway/credentials.ts'],
  ignorePatterns: ['dist', 'reports', 'coverage', 'data', '.requests', 'docs', 'docker'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

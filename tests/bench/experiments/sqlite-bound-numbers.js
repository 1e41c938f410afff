/**
 * Experiment for .requests/bench-sqlite-bound-numbers.md, loaded into the polyvault process only:
 *   npm run bench -- --node-options "-r $PWD/tests/bench/experiments/sqlite-bound-numbers.js"
 * TypeORM's SQLite drivers write every number parameter into the SQL text, so each seq or timestamp
 * makes a new statement (a prepare, and an eviction from the 100-entry FIFO statement cache). This
 * binds numbers instead and raises the cache to 500 statements: what the proposed change to
 * core/persistence/dataSource.ts does, without editing core.
 */
'use strict';
const { AbstractSqliteDriver } = require('typeorm/driver/sqlite-abstract/AbstractSqliteDriver.js');
const { BetterSqlite3Driver } = require('typeorm/driver/better-sqlite3/BetterSqlite3Driver.js');

const inline = AbstractSqliteDriver.prototype.escapeQueryWithParameters;
AbstractSqliteDriver.prototype.escapeQueryWithParameters = function (sql, parameters, nativeParameters) {
  if (!parameters || Object.keys(parameters).length === 0) return inline.call(this, sql, parameters, nativeParameters);
  // Numbers wrapped in an object are bound like any other value; unwrap them afterwards.
  const wrapped = {};
  for (const [key, value] of Object.entries(parameters)) wrapped[key] = typeof value === 'number' ? { __bound: value } : value;
  const [text, values] = inline.call(this, sql, wrapped, nativeParameters);
  return [text, values.map((value) => (value !== null && typeof value === 'object' && '__bound' in value ? value.__bound : value))];
};

const createQueryRunner = BetterSqlite3Driver.prototype.createQueryRunner;
BetterSqlite3Driver.prototype.createQueryRunner = function (mode) {
  const runner = createQueryRunner.call(this, mode);
  runner.cacheSize = 500;
  return runner;
};

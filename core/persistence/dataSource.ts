/**
 * Opens the store named by a DATABASE_URL: `sqlite:<path>` (embedded default, better-sqlite3) or
 * `mysql://user:pass@host:port/db` (MySQL 8 / MariaDB via mysql2). The schema is owned by migrations.
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type ObjectLiteral } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type DatabaseKind = 'sqlite' | 'mysql';

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return 'mysql';
  throw new Error('DATABASE_URL must start with sqlite: or mysql://');
}

/** `timeoutMs`: how long a statement may wait for SQLite's write lock, or for a MySQL connection to open. */
export function createDataSource(url: string, options: { timeoutMs?: number } = {}): DataSource {
  const timeoutMs = options.timeoutMs ?? 5000;
  if (databaseKind(url) === 'sqlite') {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '') || ':memory:';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return bindNumbers(new DataSource({
      type: 'better-sqlite3',
      database: path,
      // List queries with different filters are legitimately different statements.
      statementCacheSize: 500,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      // WAL lets readers in other processes (CLI, second gateway) work while the gateway writes.
      prepareDatabase: (db: { pragma(statement: string): unknown }) => {
        if (path !== ':memory:') db.pragma('journal_mode = WAL');
        db.pragma(`busy_timeout = ${Math.trunc(timeoutMs)}`);
        db.pragma('synchronous = NORMAL');
        // Savepoints (each write of a group commit has one) keep the pages they change in a
        // sub-journal: in memory, not in a temporary file written page by page.
        db.pragma('temp_store = MEMORY');
        // Table statistics: without them SQLite sees every (tenant_id, …) index as equally
        // selective and can walk a whole tenant at scale. optimize analyzes what needs it, bounded.
        db.pragma('analysis_limit = 1000');
        db.pragma('optimize = 0x10002');
      },
    }));
  }
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return new DataSource({
    type: 'mysql',
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.replace(/^\//, ''),
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    poolSize: Number(parsed.searchParams.get('pool') ?? 10),
    supportBigNumbers: true,
    bigNumberStrings: false,
    // The hot statements are prepared once per connection (see rawRows). mysql2 keeps them in an
    // LRU that closes what it evicts; bounded so that a full pool stays far below the server's
    // max_prepared_stmt_count (16,382 by default, shared by every client of the server).
    extra: { maxPreparedStatements: 256, connectTimeout: timeoutMs },
  });
}

/**
 * TypeORM's SQLite drivers write number parameters into the SQL text instead of binding them, so
 * every seq or timestamp makes a new statement that better-sqlite3 prepares again and that flushes
 * TypeORM's statement cache (measured by the benchmark: 8 prepares per create, ~0.4 ms per read).
 * Wrapping numbers makes TypeORM bind them; they are unwrapped before they reach the driver.
 */
function bindNumbers(dataSource: DataSource): DataSource {
  type Escape = (sql: string, parameters: ObjectLiteral, native: ObjectLiteral) => [string, unknown[]];
  const driver = dataSource.driver as unknown as { escapeQueryWithParameters: Escape };
  const inline = driver.escapeQueryWithParameters.bind(driver);
  driver.escapeQueryWithParameters = (sql, parameters, native) => {
    if (!parameters || Object.keys(parameters).length === 0) return inline(sql, parameters, native);
    const wrapped: ObjectLiteral = {};
    for (const [key, value] of Object.entries(parameters)) wrapped[key] = typeof value === 'number' ? { boundNumber: value } : value;
    const [text, values] = inline(sql, wrapped, native);
    return [text, values.map((value) => (value !== null && typeof value === 'object' && 'boundNumber' in value ? (value as { boundNumber: number }).boundNumber : value))];
  };
  return dataSource;
}

/** Opens the store and brings its schema up to date. */
export async function openStore(url: string, options: { timeoutMs?: number } = {}): Promise<DataSource> {
  const dataSource = createDataSource(url, options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

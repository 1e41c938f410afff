/**
 * Fixed SQL for the hot paths (a customer by one of its keys, its addresses and payment methods,
 * the inserts and column updates of a write, the audit event), built once per entity from
 * TypeORM's metadata; values go through the columns' own transformers and the driver's value
 * preparation, so rows read and written here are the same as TypeORM's.
 *
 * Why not TypeORM's builders: the benchmark measured the query builder at ~40 % of a get's CPU and
 * `InsertQueryBuilder` + `update()` at most of a create's JavaScript time. On SQLite the statements
 * also skip TypeORM's query runner (a new runner per read, a broadcaster, a logger call) and run
 * on the one better-sqlite3 connection with their own prepared-statement cache; the store's queue
 * already serialises work on that connection, so a transaction begun by TypeORM is the one they
 * run in. On MySQL they run as prepared statements (mysql2 `execute`) on the transaction's own
 * connection, or on the pool outside transactions; statements whose text varies (IN lists) are
 * prepared per distinct text and kept in mysql2's bounded per-connection LRU.
 */
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** The little of better-sqlite3 used here (the project ships no typings for it). */
interface SqliteStatement {
  readonly reader: boolean;
  raw(toggle: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}
/** The little of mysql2's callback API used here: a pool or one of its connections. */
interface MysqlQueryable {
  execute(options: { sql: string; values: unknown[]; rowsAsArray?: boolean }, callback: (error: Error | null, result: unknown) => void): void;
}

export interface WriteResult {
  affected: number;
  insertId: number;
}

/** Runs fixed statements on one data source, on SQLite through cached prepared statements. */
export class SqlRunner {
  private readonly statements = new Map<string, SqliteStatement>();
  /** Only texts built by this module come here, so the cache is bounded by the code's own shapes. */
  private static readonly MAX_STATEMENTS = 1000;

  constructor(private readonly dataSource: DataSource) {}

  private get sqlite(): SqliteDatabase | null {
    if (this.dataSource.options.type !== 'better-sqlite3') return null;
    return (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  }

  private statement(db: SqliteDatabase, sql: string, parameters: unknown[]): SqliteStatement {
    // TypeORM's query log (off unless configured) sees these statements as it sees its own.
    this.dataSource.logger.logQuery(sql, parameters);
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= SqlRunner.MAX_STATEMENTS) this.statements.clear();
      statement = db.prepare(sql);
      // Rows as arrays: better-sqlite3 then builds no object per row (measured ~30 % of a read).
      if (statement.reader) statement.raw(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * On MySQL the driver itself: a transaction's own connection, else the pool. TypeORM's
   * `manager.query` makes a query runner per statement, broadcasts and logs (measured ~40 µs a
   * statement, a third of a get's JavaScript on MariaDB).
   */
  private mysql(manager: EntityManager, sql: string, parameters: unknown[], rowsAsArray = false): Promise<unknown> {
    const runner = manager.queryRunner as unknown as { databaseConnection?: MysqlQueryable; isReleased?: boolean } | undefined;
    let target: MysqlQueryable | undefined;
    if (!runner) target = (this.dataSource.driver as unknown as { pool?: MysqlQueryable }).pool;
    else if (!runner.isReleased) target = runner.databaseConnection;
    if (!target) return manager.query(sql, parameters);
    this.dataSource.logger.logQuery(sql, parameters);
    return new Promise((resolve, reject) => target.execute({ sql, values: parameters, rowsAsArray }, (error, result) => (error ? reject(error) : resolve(result))));
  }

  /** Result rows: on SQLite as arrays in select-list order, on MySQL as objects keyed by alias. */
  async rows(manager: EntityManager, sql: string, parameters: unknown[]): Promise<Array<unknown[] | Record<string, unknown>>> {
    const db = this.sqlite;
    if (db) return this.statement(db, sql, parameters).all(...parameters) as unknown[][];
    return (await this.mysql(manager, sql, parameters)) as Array<Record<string, unknown>>;
  }

  /** Result rows as arrays in select-list order, on both databases. */
  async arrays(manager: EntityManager, sql: string, parameters: unknown[]): Promise<unknown[][]> {
    const db = this.sqlite;
    if (db) return this.statement(db, sql, parameters).all(...parameters) as unknown[][];
    return (await this.mysql(manager, sql, parameters, true)) as unknown[][];
  }

  async write(manager: EntityManager, sql: string, parameters: unknown[]): Promise<WriteResult> {
    const db = this.sqlite;
    if (db) {
      const result = this.statement(db, sql, parameters).run(...parameters);
      return { affected: result.changes, insertId: Number(result.lastInsertRowid) };
    }
    const result = (await this.mysql(manager, sql, parameters)) as { affectedRows?: number; insertId?: number };
    return { affected: Number(result.affectedRows ?? 0), insertId: Number(result.insertId ?? 0) };
  }
}

export class RawRows<T extends ObjectLiteral> {
  readonly table: string;
  readonly selectList: string;
  private readonly columns: ColumnMetadata[];
  private readonly byProperty = new Map<string, ColumnMetadata>();
  /** The columns an INSERT writes: all but a database-generated key. */
  private readonly insertColumns: ColumnMetadata[];
  private readonly generatedKey: boolean;
  private readonly create: () => T;
  private readonly sqlCache = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
    private readonly runner: SqlRunner,
  ) {
    const metadata = dataSource.getMetadata(target);
    const quote = (name: string) => dataSource.driver.escape(name);
    this.table = quote(metadata.tableName);
    this.columns = metadata.columns;
    for (const column of this.columns) this.byProperty.set(column.propertyName, column);
    this.insertColumns = this.columns.filter((column) => !(column.isGenerated && column.generationStrategy === 'increment'));
    this.generatedKey = this.insertColumns.length < this.columns.length;
    this.selectList = this.columns.map((column) => `${quote(column.databaseName)} AS ${quote(column.propertyName)}`).join(', ');
    this.create = () => metadata.create() as T;
  }

  private cached(key: string, build: () => string): string {
    let text = this.sqlCache.get(key);
    if (!text) {
      text = build();
      this.sqlCache.set(key, text);
    }
    return text;
  }

  /**
   * `SELECT <all columns> FROM <table> [alias] WHERE <where>` with the text built once per distinct
   * `where`; the alias lets `where` (and an ORDER BY in it) name columns as `alias.column`.
   */
  sql(where: string, alias = ''): string {
    return this.cached(`select:${alias}:${where}`, () => `SELECT ${this.selectList} FROM ${this.table}${alias ? ` ${alias}` : ''} WHERE ${where}`);
  }

  /** The number of columns a row of this table has (and `hydrate` reads from a positional row). */
  get width(): number {
    return this.columns.length;
  }

  /**
   * The columns as `alias.column` in the order `hydrate` reads positional rows, or as many NULLs:
   * the parts of a UNION whose members read different tables side by side.
   */
  positionalList(alias: string | null): string {
    return this.cached(`positional:${alias ?? ''}`, () =>
      this.columns.map((column) => (alias === null ? 'NULL' : `${alias}.${this.dataSource.driver.escape(column.databaseName)}`)).join(', '),
    );
  }

  /** An entity from a row keyed by property, or from a positional row (its columns from `offset` on). */
  hydrate(raw: unknown[] | Record<string, unknown>, offset = 0): T {
    const entity = this.create() as Record<string, unknown>;
    const columns = this.columns;
    const positional = Array.isArray(raw);
    for (let i = 0; i < columns.length; i += 1) {
      const column = columns[i];
      let value = positional ? raw[offset + i] : raw[column.propertyName];
      const transformer = column.transformer;
      if (transformer && !Array.isArray(transformer)) value = transformer.from(value);
      else if (typeof value === 'bigint') value = Number(value);
      entity[column.propertyName] = value;
    }
    return entity as T;
  }

  async many(manager: EntityManager, where: string, parameters: unknown[], alias = ''): Promise<T[]> {
    const rows = await this.runner.rows(manager, this.sql(where, alias), parameters);
    return rows.map((row) => this.hydrate(row));
  }

  async one(manager: EntityManager, where: string, parameters: unknown[]): Promise<T | null> {
    const rows = await this.many(manager, where, parameters);
    return rows[0] ?? null;
  }

  /** Whether a row matches `where`, without reading it. */
  async exists(manager: EntityManager, where: string, parameters: unknown[]): Promise<boolean> {
    const text = this.cached(`exists:${where}`, () => `SELECT 1 AS found FROM ${this.table} WHERE ${where} LIMIT 1`);
    return (await this.runner.rows(manager, text, parameters)).length > 0;
  }

  private value(column: ColumnMetadata, value: unknown): unknown {
    return this.dataSource.driver.preparePersistentValue(value, column) ?? null;
  }

  /** Inserts a whole entity; returns the generated key when the table has one. */
  async insert(manager: EntityManager, row: T): Promise<number> {
    const text = this.cached('insert', () => {
      const names = this.insertColumns.map((column) => this.dataSource.driver.escape(column.databaseName)).join(', ');
      return `INSERT INTO ${this.table} (${names}) VALUES (${this.insertColumns.map(() => '?').join(', ')})`;
    });
    const result = await this.runner.write(
      manager,
      text,
      this.insertColumns.map((column) => this.value(column, row[column.propertyName])),
    );
    return this.generatedKey ? result.insertId : 0;
  }

  /** `UPDATE <table> SET <the changed columns> WHERE <where>`; returns the number of rows changed. */
  async update(manager: EntityManager, changes: Partial<T>, where: string, parameters: unknown[]): Promise<number> {
    const properties = Object.keys(changes).filter((property) => changes[property] !== undefined);
    if (properties.length === 0) return 0;
    const columns = properties.map((property) => {
      const column = this.byProperty.get(property);
      if (!column) throw new Error(`${this.table} has no column for ${property}`);
      return column;
    });
    const text = this.cached(`update:${properties.join(',')}:${where}`, () => {
      const assignments = columns.map((column) => `${this.dataSource.driver.escape(column.databaseName)} = ?`).join(', ');
      return `UPDATE ${this.table} SET ${assignments} WHERE ${where}`;
    });
    const values = columns.map((column) => this.value(column, changes[column.propertyName as keyof T]));
    return (await this.runner.write(manager, text, [...values, ...parameters])).affected;
  }
}

const perDataSource = new WeakMap<DataSource, { runner: SqlRunner; tables: Map<unknown, RawRows<ObjectLiteral>> }>();

function entryFor(dataSource: DataSource): { runner: SqlRunner; tables: Map<unknown, RawRows<ObjectLiteral>> } {
  let entry = perDataSource.get(dataSource);
  if (!entry) {
    entry = { runner: new SqlRunner(dataSource), tables: new Map() };
    perDataSource.set(dataSource, entry);
  }
  return entry;
}

/** The data source's runner of fixed statements (and their prepared-statement cache). */
export function sqlRunner(dataSource: DataSource): SqlRunner {
  return entryFor(dataSource).runner;
}

/** One RawRows per (data source, entity), made on first use. */
export function rawRows<T extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<T>): RawRows<T> {
  const entry = entryFor(dataSource);
  let table = entry.tables.get(target);
  if (!table) {
    table = new RawRows(dataSource, target as EntityTarget<ObjectLiteral>, entry.runner);
    entry.tables.set(target, table);
  }
  return table as unknown as RawRows<T>;
}
